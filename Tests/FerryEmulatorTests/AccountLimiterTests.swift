import Synchronization
import Testing
@testable import FerryEmulator

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let nanoseconds = Mutex<UInt64>(1_000_000_000)
    var now: UInt64 { nanoseconds.withLock { $0 } }
    func advance(seconds: Double) { nanoseconds.withLock { $0 += UInt64(seconds * 1e9) } }
}

@Suite struct AccountLimiterTests {
    static let MiB: Int64 = 1 << 20

    func limiter(_ text: String, clock: ManualClock) throws -> AccountLimiter {
        AccountLimiter(limits: try AccountLimits.parse(text), clock: { clock.now })
    }

    @Test func noLimitsRefuseNothing() {
        let limiter = AccountLimiter(limits: AccountLimits())
        for _ in 0..<10_000 { #expect(limiter.admitRequest(hasBody: true, bodyBytes: Self.MiB) == nil) }
        #expect(limiter.admitResponse(bodyBytes: 1 << 40) == nil)
    }

    @Test func operationsBucketHoldsOneSecondThenRefillsAtTheRate() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=20", clock: clock)
        let burst = (0..<30).filter { _ in limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil }.count
        #expect(burst == 20)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil)?.kind == .operations)
        clock.advance(seconds: 0.5)
        let refilled = (0..<30).filter { _ in limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil }.count
        #expect(refilled == 10)
    }

    @Test func longRunAcceptedOperationsFollowTheRateNotTheOffer() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=20", clock: clock)
        var accepted = 0
        for _ in 0..<10_000 {  // 1,000 requests per second offered for 10 s
            if limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil { accepted += 1 }
            clock.advance(seconds: 0.001)
        }
        #expect((218...221).contains(accepted), "20 of burst + 20/s × 10 s, got \(accepted)")
    }

    @Test func anUploadIsChargedAtAdmissionAndTheNextWaitsForTheDebt() throws {
        let clock = ManualClock()
        let limiter = try limiter("ingress-mbps=8", clock: clock)  // 1,000,000 bytes/s, 1 s of burst
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 4 * Self.MiB) == nil)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 1)?.kind == .ingress)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil, "a request without a body is no ingress")
        // Debt: 4 MiB − 1 MB = 3,194,304 bytes, repaid at 1 MB/s.
        clock.advance(seconds: 3.19)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 1)?.kind == .ingress)
        clock.advance(seconds: 0.01)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 1) == nil)
    }

    @Test func longRunAcceptedIngressStaysNearTheLimitUnderParallelOffers() throws {
        let clock = ManualClock()
        let limiter = try limiter("ingress-mbps=16", clock: clock)  // 2,000,000 bytes/s
        var accepted: Int64 = 0
        for _ in 0..<2_000 {  // every 10 ms, 8 clients offer 1 MiB each, for 20 s
            for _ in 0..<8 where limiter.admitRequest(hasBody: true, bodyBytes: Self.MiB) == nil { accepted += Self.MiB }
            clock.advance(seconds: 0.01)
        }
        let bound = 2_000_000 + 2_000_000 * 20 + Self.MiB
        #expect(accepted <= bound)
        #expect(Double(accepted) >= 0.95 * 2_000_000 * 20)
    }

    @Test func aRefusedRequestConsumesNoTokens() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=2,ingress-mbps=8", clock: clock)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 2 * Self.MiB) == nil)  // ops 1 left, ingress in debt
        for _ in 0..<5 { #expect(limiter.admitRequest(hasBody: true, bodyBytes: Self.MiB)?.kind == .ingress) }
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil, "ingress refusals took no operation")
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil)?.kind == .operations)
        // The one admitted upload left 2 MiB − 1 MB = 1,097,152 bytes of debt; 1.1 s repays it.
        clock.advance(seconds: 1.1)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: 1) == nil)
    }

    @Test func egressIsChargedByTheAnswerAndARefusalGivesTheOperationBack() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=2,egress-mbps=8", clock: clock)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil)
        #expect(limiter.admitResponse(bodyBytes: 2_500_000) == nil)  // debt 1.5 MB
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil)
        #expect(limiter.admitResponse(bodyBytes: 10)?.kind == .egress)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil, "the refused answer gave its operation back")
        #expect(limiter.admitResponse(bodyBytes: 0) == nil, "an empty body moves no egress")
        clock.advance(seconds: 1.49)
        #expect(limiter.admitResponse(bodyBytes: 10)?.kind == .egress)
        clock.advance(seconds: 0.02)
        #expect(limiter.admitResponse(bodyBytes: 10) == nil)
    }

    @Test func chunkedBodiesAreChargedAfterTheyAreRead() throws {
        let clock = ManualClock()
        let limiter = try limiter("ingress-mbps=8", clock: clock)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: nil) == nil)
        limiter.chargeIngress(bytes: 3_000_000)
        #expect(limiter.admitRequest(hasBody: true, bodyBytes: nil)?.kind == .ingress)
    }

    @Test func replacingTheLimitsStartsFullBucketsAndClearingStopsRefusals() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=1,retry-after=3", clock: clock)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil)
        #expect(limiter.admitRequest(hasBody: false, bodyBytes: nil) == AccountLimitRefusal(kind: .operations, retryAfterSeconds: 3))
        limiter.replace(try AccountLimits.parse("requests-per-second=3"))
        let admitted = (0..<5).filter { _ in limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil }.count
        #expect(admitted == 3)
        limiter.replace(AccountLimits())
        #expect((0..<100).allSatisfy { _ in limiter.admitRequest(hasBody: false, bodyBytes: nil) == nil })
    }

    @Test func jsonReportsTheLimitsAndNullForUnsetOnes() throws {
        let clock = ManualClock()
        let limiter = try limiter("requests-per-second=20", clock: clock)
        let json = limiter.json()
        #expect(json.contains(#""limits":"requests-per-second=20""#))
        #expect(json.contains(#""requestsPerSecond":20,"ingressMbps":null,"egressMbps":null,"retryAfter":null"#))
    }
}
