/// A token bucket refilled by elapsed monotonic time. Tokens are operations or bytes; the level
/// may go below zero (debt) when a charge is larger than what is left, which is how a request
/// bigger than the bucket still gets through once and then holds the next ones back until the
/// debt is repaid. Pure value type with the time passed in, so tests need no clock.
struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    let ratePerSecond: Double
    /// The most tokens the bucket holds (the allowed burst).
    let capacity: Double
    private(set) var level: Double
    private var lastRefillNanoseconds: UInt64

    /// A full bucket as of `nowNanoseconds`.
    init(ratePerSecond: Double, capacity: Double, nowNanoseconds: UInt64) {
        self.ratePerSecond = ratePerSecond
        self.capacity = capacity
        level = capacity
        lastRefillNanoseconds = nowNanoseconds
    }

    /// Adds the tokens earned since the last refill, up to `capacity`. A clock reading older than
    /// the last one (never from a monotonic clock, but cheap to guard) adds nothing.
    mutating func refill(nowNanoseconds: UInt64) {
        guard nowNanoseconds > lastRefillNanoseconds else { return }
        let elapsedSeconds = Double(nowNanoseconds - lastRefillNanoseconds) / 1e9
        level = min(capacity, level + elapsedSeconds * ratePerSecond)
        lastRefillNanoseconds = nowNanoseconds
    }

    /// Whether at least `tokens` are there now (no refill; call `refill` first).
    func holds(_ tokens: Double) -> Bool { level >= tokens }

    /// Whether the bucket owes tokens.
    var isInDebt: Bool { level < 0 }

    /// Takes `tokens`; the level may go negative.
    mutating func take(_ tokens: Double) { level -= tokens }

    /// Gives back `tokens` taken for a request that was refused afterwards (never above capacity).
    mutating func giveBack(_ tokens: Double) { level = min(capacity, level + tokens) }
}
