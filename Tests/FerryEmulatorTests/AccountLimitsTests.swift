import NIOCore
import Testing
@testable import FerryEmulator

@Suite struct AccountLimitsTests {
    @Test func parsesEveryKeyAndWritesTheSameTextBack() throws {
        let limits = try AccountLimits.parse("requests-per-second=20,ingress-mbps=80,egress-mbps=0.5,retry-after=1")
        #expect(limits == AccountLimits(requestsPerSecond: 20, ingressMbps: 80, egressMbps: 0.5, retryAfterSeconds: 1))
        #expect(limits.text == "requests-per-second=20,ingress-mbps=80,egress-mbps=0.5,retry-after=1")
        #expect(try AccountLimits.parse(limits.text) == limits)
    }

    @Test func anySubsetOfKeysAndSpacesAroundThem() throws {
        #expect(try AccountLimits.parse("ingress-mbps=8") == AccountLimits(ingressMbps: 8))
        #expect(try AccountLimits.parse(" egress-mbps = 16 , requests-per-second=5 ")
                == AccountLimits(requestsPerSecond: 5, egressMbps: 16))
        #expect(try AccountLimits.parse("").isEmpty)
        #expect(try AccountLimits.parse("retry-after=2").isEmpty, "retry-after alone limits nothing")
    }

    @Test func refusesBadLimits() {
        let bad = ["requests-per-second", "requests-per-second=0", "ingress-mbps=-1", "egress-mbps=nan", "egress-mbps=inf",
                   "ingress-mbps=1e3", "requests-per-second=abc", "bandwidth=5", "retry-after=-1", "retry-after=1.5",
                   "ingress-mbps=8,ingress-mbps=9"]
        for text in bad {
            #expect(throws: AccountLimits.ParseError.self, "\(text)") { try AccountLimits.parse(text) }
        }
    }

    @Test func megabitsAreTenToTheSixBitsPerSecond() {
        #expect(AccountLimits.bytesPerSecond(megabits: 8) == 1_000_000)
        #expect(AccountLimits.bytesPerSecond(megabits: 0.5) == 62_500)
    }

    @Test func adminBodyIsTheSameTextOrJSONWithTheSameKeys() throws {
        let text = try AdminEndpoint.parseAccountLimits(ByteBuffer(string: "requests-per-second=5\ningress-mbps=8"))
        #expect(text == AccountLimits(requestsPerSecond: 5, ingressMbps: 8))
        let json = try AdminEndpoint.parseAccountLimits(ByteBuffer(string: #"{"egress-mbps": 2.5, "retry-after": 1, "ingress-mbps": null}"#))
        #expect(json == AccountLimits(egressMbps: 2.5, retryAfterSeconds: 1))
        #expect(try AdminEndpoint.parseAccountLimits(ByteBuffer()).isEmpty)
        #expect(throws: AccountLimits.ParseError.self) { try AdminEndpoint.parseAccountLimits(ByteBuffer(string: #"{"speed": 1}"#)) }
        #expect(throws: AccountLimits.ParseError.self) { try AdminEndpoint.parseAccountLimits(ByteBuffer(string: "{not json")) }
    }

    @Test func refusalIsServerBusyWithTheServiceMessage() {
        let error = AccountLimitRefusal(kind: .operations, retryAfterSeconds: nil).serviceError
        #expect(error.status == 503)
        #expect(error.code == "ServerBusy")
        #expect(error.message == "Operations per second is over the account limit.")
        #expect(error.headers.isEmpty, "the service usually sends no Retry-After")
        let ingress = AccountLimitRefusal(kind: .ingress, retryAfterSeconds: 2).serviceError
        #expect(ingress.message == "Ingress is over the account limit.")
        #expect(ingress.headers.map { "\($0.0): \($0.1)" } == ["Retry-After: 2"])
        #expect(AccountLimitRefusal(kind: .egress).serviceError.message == "Egress is over the account limit.")
    }
}

@Suite struct TokenBucketTests {
    @Test func startsFullRefillsByElapsedTimeUpToCapacity() {
        var bucket = TokenBucket(ratePerSecond: 10, capacity: 10, nowNanoseconds: 1_000)
        #expect(bucket.level == 10)
        bucket.take(10)
        bucket.refill(nowNanoseconds: 1_000 + 300_000_000)
        #expect(abs(bucket.level - 3) < 1e-9)
        bucket.refill(nowNanoseconds: 1_000 + 60_000_000_000)
        #expect(bucket.level == 10)
    }

    @Test func goesIntoDebtAndRepaysIt() {
        var bucket = TokenBucket(ratePerSecond: 100, capacity: 100, nowNanoseconds: 0)
        bucket.take(350)
        #expect(bucket.isInDebt)
        bucket.refill(nowNanoseconds: 2_400_000_000)
        #expect(bucket.isInDebt)
        bucket.refill(nowNanoseconds: 2_500_000_000)
        #expect(!bucket.isInDebt)
    }

    @Test func aClockThatGoesBackAddsNothing() {
        var bucket = TokenBucket(ratePerSecond: 100, capacity: 100, nowNanoseconds: 5_000_000_000)
        bucket.take(50)
        bucket.refill(nowNanoseconds: 1_000_000_000)
        #expect(bucket.level == 50)
    }
}
