import Foundation

/// Retries operations that failed with `disposition == .retry`: exponential backoff with full
/// jitter (base 0.5 s, cap 30 s), at least the service's Retry-After, 8 attempts and at most
/// `maximumTotalSeconds` per operation. Other dispositions pass straight through. Each attempt
/// can go through a `RequestGovernor`, which learns the service's load from the answers.
/// Value type; safe from any thread.
public struct RetryPolicy: Sendable {
    public var maximumAttempts = 8
    /// Attempts for a refusal for load (503 ServerBusy/SlowDown, 429, a timeout). The governor
    /// keeps such refusals rare; a service that refuses one request 8 times running (~1 minute
    /// of backoff) is down rather than busy, and the job stays resumable. Kept apart so a caller
    /// can wait longer for a service known to throttle hard.
    public var maximumOverloadedAttempts = 8
    public var baseSeconds = 0.5
    public var capSeconds = 30.0
    /// No operation keeps retrying longer than this (a service that stays refused fails the file,
    /// and the job stays resumable).
    public var maximumTotalSeconds = 600.0
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
    /// With a `governor`, every attempt waits for its admission and reports its outcome.
    public func run<T>(cancellation: CancellationFlag, _ body: () throws -> T) throws -> T {
        try run(cancellation: cancellation, governor: nil, body)
    }

    func run<T>(cancellation: CancellationFlag, governor: RequestGovernor?, _ body: () throws -> T) throws -> T {
        let started = ProcessInfo.processInfo.systemUptime
        var attempt = 0
        while true {
            do {
                return try governed(governor, cancellation: cancellation, body)
            } catch let error as FerryError where error.disposition == .retry {
                attempt += 1
                let delay = delaySeconds(afterAttempt: attempt - 1, retryAfterSeconds: error.retryAfterSeconds)
                let spent = ProcessInfo.processInfo.systemUptime - started
                let allowed = error.signalsOverload ? maximumOverloadedAttempts : maximumAttempts
                guard attempt < allowed, spent + delay <= maximumTotalSeconds else {
                    // Out of retries: this item fails, the job goes on.
                    var final = error
                    final.disposition = .skipItem
                    final.message = Self.withoutRetryPromise(final.message)
                        + " (gave up after \(attempt) attempts in \(Int(spent.rounded())) s)"
                    throw final
                }
                if cancellation.isCancelled { throw Self.cancelled }
                sleep(delay)
                if cancellation.isCancelled { throw Self.cancelled }
            } catch let error as FerryError {
                throw error
            } catch {
                throw FerryError(.internal, "unexpected error: \(error)", disposition: .skipItem)
            }
        }
    }

    /// One attempt, admitted by the governor (if any) and reported back to it.
    private func governed<T>(_ governor: RequestGovernor?, cancellation: CancellationFlag, _ body: () throws -> T) throws -> T {
        guard let governor else { return try body() }
        guard let ticket = governor.admit(cancellation: cancellation) else { throw Self.cancelled }
        do {
            let result = try body()
            governor.finish(ticket, .accepted)
            return result
        } catch let error as FerryError {
            governor.finish(ticket, error.signalsOverload ? .overloaded : .unrelated)
            throw error
        } catch {
            governor.finish(ticket, .unrelated)
            throw error
        }
    }

    /// Endpoint messages of retryable failures end by promising a retry; the final one must not.
    static func withoutRetryPromise(_ message: String) -> String {
        for promise in ["; the request will be retried", ": the request will be retried", "; it will be retried"]
        where message.hasSuffix(promise) {
            return String(message.dropLast(promise.count))
        }
        return message
    }

    static let cancelled = FerryError(.cancelled, "the job was cancelled", disposition: .abortJob)
}
