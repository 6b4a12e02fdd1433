import Foundation

/// Retries operations that failed with `disposition == .retry`: exponential backoff with full
/// jitter (base 0.5 s, cap 30 s), at least the service's Retry-After, ~8 attempts in all. Other
/// dispositions pass straight through. Value type; safe from any thread.
public struct RetryPolicy: Sendable {
    public var maximumAttempts = 8
    public var baseSeconds = 0.5
    public var capSeconds = 30.0
    /// Sleeps between attempts; tests replace it.
    public var sleep: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    public init() {}

    /// The wait before attempt `attempt + 1` (0-based `attempt` that just failed).
    public func delaySeconds(afterAttempt attempt: Int, retryAfterSeconds: Double?,
                             random: Double = Double.random(in: 0...1)) -> Double {
        let ceiling = min(capSeconds, baseSeconds * pow(2, Double(attempt)))
        return max(ceiling * random, retryAfterSeconds ?? 0)
    }

    /// Runs `body`, retrying transient failures; gives up early when `cancellation` is set.
    public func run<T>(cancellation: CancellationFlag, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as FerryError where error.disposition == .retry {
                attempt += 1
                guard attempt < maximumAttempts else {
                    // Out of retries: this item fails, the job goes on.
                    var final = error
                    final.disposition = .skipItem
                    final.message += " (gave up after \(attempt) attempts)"
                    throw final
                }
                if cancellation.isCancelled { throw Self.cancelled }
                sleep(delaySeconds(afterAttempt: attempt - 1, retryAfterSeconds: error.retryAfterSeconds))
                if cancellation.isCancelled { throw Self.cancelled }
            } catch let error as FerryError {
                throw error
            } catch {
                throw FerryError(.internal, "unexpected error: \(error)", disposition: .skipItem)
            }
        }
    }

    static let cancelled = FerryError(.cancelled, "the job was cancelled", disposition: .abortJob)
}
