#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which account limit refused a request.
public enum AccountLimitKind: String, Sendable, CaseIterable {
    case operations, ingress, egress

    /// The service's message for each (PROTOCOLS.md A10). Microsoft's scalability-target pages
    /// document only "503 (Server Busy)"; the message texts are the ones the service sends and
    /// Azure's error-code reference lists for ServerBusy, so those are used here.
    var message: String {
        switch self {
        case .operations: "Operations per second is over the account limit."
        case .ingress: "Ingress is over the account limit."
        case .egress: "Egress is over the account limit."
        }
    }
}

/// A refusal: the limit that was over, and the `Retry-After` to send (if configured).
struct AccountLimitRefusal: Sendable, Equatable {
    var kind: AccountLimitKind
    var retryAfterSeconds: Int?

    /// 503 ServerBusy, as the service throttles (A10).
    var serviceError: ServiceError {
        ServiceError(status: 503, code: "ServerBusy", message: kind.message,
                     headers: retryAfterSeconds.map { [("Retry-After", String($0))] } ?? [])
    }
}

/// Enforces `AccountLimits` with three token buckets refilled by monotonic time: operations
/// (capacity ≈ 1 s of the rate, at least 1), request-body bytes (ingress) and response-body
/// bytes (egress), each holding ≈ 1 s of its rate.
///
/// The decision is made per request, before any content moves:
/// - at arrival, a request is refused if the operations bucket holds less than one token, or if
///   it carries a body while the ingress bucket is in debt. An admitted upload is charged its
///   whole `Content-Length` at once. Charging at admission (rather than as bytes arrive) is what
///   keeps the accepted rate at the limit when many uploads start together: the check and the
///   charge are one atomic step, so 32 parallel Put Blocks cannot all pass on one positive balance
///   and pay later. Accepted bytes over T seconds stay ≤ capacity + rate·T + one request.
///   A chunked body (no length) is charged after it has been read.
/// - once the answer is known, a 200/206 answer with a body is refused if the egress bucket is in
///   debt, else charged its length, again in one step. Only then is the size of a download known;
///   nothing has been sent yet.
/// A refused request consumes nothing: no bandwidth tokens, and an answer refused for egress gives
/// its operation token back.
///
/// Thread-safe: all state is behind one `SleepingLock`; the clock is injected for tests.
public final class AccountLimiter: Sendable {
    private struct State {
        var limits: AccountLimits
        var operations: TokenBucket?
        var ingress: TokenBucket?
        var egress: TokenBucket?

        init(_ limits: AccountLimits, now: UInt64) {
            self.limits = limits
            operations = limits.requestsPerSecond.map { TokenBucket(ratePerSecond: $0, capacity: max(1, $0), nowNanoseconds: now) }
            ingress = limits.ingressMbps.map { Self.bandwidthBucket(megabits: $0, now: now) }
            egress = limits.egressMbps.map { Self.bandwidthBucket(megabits: $0, now: now) }
        }

        static func bandwidthBucket(megabits: Double, now: UInt64) -> TokenBucket {
            let bytesPerSecond = AccountLimits.bytesPerSecond(megabits: megabits)
            return TokenBucket(ratePerSecond: bytesPerSecond, capacity: bytesPerSecond, nowNanoseconds: now)
        }

        mutating func refill(_ now: UInt64) {
            operations?.refill(nowNanoseconds: now)
            ingress?.refill(nowNanoseconds: now)
            egress?.refill(nowNanoseconds: now)
        }
    }

    private let state: SleepingLock<State>
    private let clock: @Sendable () -> UInt64

    /// `clock` returns monotonic nanoseconds (default: `CLOCK_MONOTONIC`).
    public init(limits: AccountLimits, clock: @escaping @Sendable () -> UInt64 = AccountLimiter.monotonicNanoseconds) {
        self.clock = clock
        state = SleepingLock(State(limits, now: clock()))
    }

    /// Replaces the limits; every bucket starts full.
    public func replace(_ limits: AccountLimits) {
        let now = clock()
        state.withLock { $0 = State(limits, now: now) }
    }

    public var limits: AccountLimits { state.withLock { $0.limits } }

    /// The arrival decision. `bodyBytes` is the declared `Content-Length` (nil when chunked).
    func admitRequest(hasBody: Bool, bodyBytes: Int64?) -> AccountLimitRefusal? {
        let now = clock()
        return state.withLock { state in
            guard !state.limits.isEmpty else { return nil }
            state.refill(now)
            if let operations = state.operations, !operations.holds(1) {
                return AccountLimitRefusal(kind: .operations, retryAfterSeconds: state.limits.retryAfterSeconds)
            }
            if hasBody, let ingress = state.ingress, ingress.isInDebt {
                return AccountLimitRefusal(kind: .ingress, retryAfterSeconds: state.limits.retryAfterSeconds)
            }
            state.operations?.take(1)
            if hasBody, let bodyBytes { state.ingress?.take(Double(bodyBytes)) }
            return nil
        }
    }

    /// Charges body bytes that had no declared length, once they have been read.
    func chargeIngress(bytes: Int64) {
        guard bytes > 0 else { return }
        let now = clock()
        state.withLock { state in
            state.ingress?.refill(nowNanoseconds: now)
            state.ingress?.take(Double(bytes))
        }
    }

    /// The answer decision for a response body of `bodyBytes` about to be sent.
    func admitResponse(bodyBytes: Int64) -> AccountLimitRefusal? {
        guard bodyBytes > 0 else { return nil }
        let now = clock()
        return state.withLock { state in
            guard state.egress != nil else { return nil }
            state.refill(now)
            if state.egress!.isInDebt {
                state.operations?.giveBack(1)
                return AccountLimitRefusal(kind: .egress, retryAfterSeconds: state.limits.retryAfterSeconds)
            }
            state.egress!.take(Double(bodyBytes))
            return nil
        }
    }

    /// The admin endpoint's view: the limits (null when unset), their text, and bucket levels.
    func json() -> String {
        let now = clock()
        return state.withLock { state in
            state.refill(now)
            func number(_ value: Double?) -> String { value.map(AccountLimits.figure) ?? "null" }
            func level(_ bucket: TokenBucket?) -> String { bucket.map { AccountLimits.figure($0.level.rounded(.down)) } ?? "null" }
            let limits = state.limits
            return "{\"limits\":\(JSONText.quote(limits.text)),\"requestsPerSecond\":\(number(limits.requestsPerSecond)),"
                + "\"ingressMbps\":\(number(limits.ingressMbps)),\"egressMbps\":\(number(limits.egressMbps)),"
                + "\"retryAfter\":\(limits.retryAfterSeconds.map(String.init) ?? "null"),"
                + "\"levels\":{\"operations\":\(level(state.operations)),\"ingressBytes\":\(level(state.ingress)),"
                + "\"egressBytes\":\(level(state.egress))}}"
        }
    }

    @Sendable public static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
