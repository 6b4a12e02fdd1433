import Testing
@testable import FerryEmulator

@Suite struct FaultRuleTests {
    @Test func parsesEveryKey() throws {
        let rule = try FaultRule.parse("busy:ops=PutBlock+GetBlob,rate=0.3,after=2,count=5,retry-after=1,seconds=3")
        #expect(rule.kind == .busy)
        #expect(rule.operations == [.putBlock, .getBlob])
        #expect(rule.rate == 0.3)
        #expect(rule.after == 2)
        #expect(rule.count == 5)
        #expect(rule.retryAfterSeconds == 1)
        #expect(rule.stallSeconds == 3)
        #expect(try FaultRule.parse("corrupt-request").kind == .corruptRequest)
    }

    @Test func refusesBadRules() {
        for text in ["explode", "busy:ops=Nope", "busy:rate=2", "busy:rate", "busy:color=red", "stall:seconds=-1"] {
            #expect(throws: FaultRule.ParseError.self, "\(text)") { try FaultRule.parse(text) }
        }
    }

    @Test func afterAndCountBoundTheHits() throws {
        let injector = FaultInjector(rules: [try FaultRule.parse("timeout:ops=PutBlock,after=1,count=2")], seed: 1)
        let hits = (0..<5).map { _ in injector.decide(for: .putBlock) != nil }
        #expect(hits == [false, true, true, false, false])
        #expect(injector.decide(for: .getBlob) == nil)
    }

    @Test func sameSeedSameChoices() throws {
        let rule = try FaultRule.parse("busy:rate=0.5")
        let first = FaultInjector(rules: [rule], seed: 7)
        let second = FaultInjector(rules: [rule], seed: 7)
        let a = (0..<64).map { _ in first.decide(for: .getBlob) != nil }
        let b = (0..<64).map { _ in second.decide(for: .getBlob) != nil }
        #expect(a == b)
        #expect(a.contains(true) && a.contains(false))
    }

    @Test func corruptDefaultsToGetBlobOnly() throws {
        let injector = FaultInjector(rules: [try FaultRule.parse("corrupt")], seed: 1)
        #expect(injector.decide(for: .putBlock) == nil)
        #expect(injector.decide(for: .getBlob)?.kind == .corrupt)
    }
}
