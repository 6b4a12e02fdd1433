import Foundation

/// `--cap-mbps`: ONE token bucket shared by every worker of a job, plus a count of the bytes that
/// crossed it. `account` blocks the calling worker thread until the budget allows the bytes.
///
/// The bucket starts empty and holds at most `burstSeconds` of budget, so a transfer of B bytes
/// at R bytes/s never finishes faster than B/R − burstSeconds. Without a rate it only counts.
/// Thread-safe: state is guarded by `lock`, which is why `@unchecked Sendable` is sound; the sleep
/// happens outside the lock, so waiting workers do not block each other's accounting.
public final class TokenBucketMeter: TransferMeter, @unchecked Sendable {
    public let bytesPerSecond: Double?
    let burstSeconds: Double
    private let lock = NSLock()
    private var tokens: Double = 0
    private var lastRefill: TimeInterval
    private var countedBytes: Int64 = 0
    /// Once set, waiting stops: Ctrl-C must not wait for every in-flight block to trickle
    /// through the cap (the workers stop handing out work; what is in flight finishes unthrottled).
    private let cancellation: CancellationFlag?
    /// Longest single sleep, so a waiting worker notices cancellation promptly.
    static let waitSliceSeconds = 0.05

    /// `megabitsPerSecond` in decimal megabits (10^6 bits); nil or ≤ 0 = unlimited.
    public init(megabitsPerSecond: Double?, burstSeconds: Double = 0.25, cancellation: CancellationFlag? = nil) {
        self.cancellation = cancellation
        if let rate = megabitsPerSecond, rate > 0 { bytesPerSecond = rate * 1_000_000 / 8 } else { bytesPerSecond = nil }
        self.burstSeconds = burstSeconds
        lastRefill = ProcessInfo.processInfo.systemUptime
    }

    public func account(_ byteCount: Int) {
        guard byteCount > 0 else { return }
        lock.lock()
        countedBytes += Int64(byteCount)
        guard let rate = bytesPerSecond else {
            lock.unlock()
            return
        }
        let now = ProcessInfo.processInfo.systemUptime
        tokens = min(rate * burstSeconds, tokens + (now - lastRefill) * rate)
        lastRefill = now
        // Take the tokens now (possibly going into debt) so concurrent callers queue up behind us.
        tokens -= Double(byteCount)
        let waitSeconds = tokens < 0 ? -tokens / rate : 0
        lock.unlock()
        wait(seconds: waitSeconds)
    }

    private func wait(seconds: Double) {
        let deadline = ProcessInfo.processInfo.systemUptime + seconds
        while cancellation?.isCancelled != true {
            let left = deadline - ProcessInfo.processInfo.systemUptime
            guard left > 0 else { return }
            Thread.sleep(forTimeInterval: min(left, Self.waitSliceSeconds))
        }
    }

    /// Bytes accounted so far (including retried attempts).
    public var totalBytes: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return countedBytes
    }
}
