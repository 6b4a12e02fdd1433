import Foundation

/// Holds one job's storage token in memory and gets a new one before it runs out, so a job longer
/// than a token's lifetime never fails for it:
/// - a token is used until its half-life (`AccessToken.refreshOn`), then one caller fetches a new
///   one while the others keep using the old one, which is still valid;
/// - a refresh that fails while the old token is still valid is tried again a little later
///   (`retryDelaySeconds`, never later than the old token's expiry), not on every request;
/// - `invalidate` drops a token the service refused (401), so the next caller signs in again.
/// Thread-safe: many worker threads sign requests at once; all state is behind one condition
/// lock, and the (blocking) fetch runs outside it, by one thread at a time.
public final class AccessTokenCache: @unchecked Sendable {
    public let provider: any EntraTokenProvider
    private let clock: @Sendable () -> Date
    private let retryDelaySeconds: Double
    private let condition = NSCondition()
    private var current: AccessToken?
    private var fetching = false
    /// Not before this time is a failed refresh tried again (while the old token lasts).
    private var nextRefreshAttempt: Date?
    /// Fetches finished so far, and how the last one failed: a caller that waited for a fetch that
    /// failed gets its error rather than starting another.
    private var completedFetches = 0
    private var lastFailure: (any Error)?

    public init(provider: any EntraTokenProvider, retryDelaySeconds: Double = 30,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.provider = provider
        self.retryDelaySeconds = retryDelaySeconds
        self.clock = clock
    }

    /// A token to send now: the cached one, or a new one when none is cached or it is past half-life.
    public func token() throws -> AccessToken {
        condition.lock()
        var waitedFor: Int?
        while true {
            let now = clock()
            if let current, now < current.expiresOn {
                let due = now >= current.refreshOn && nextRefreshAttempt.map { now >= $0 } != false
                if !due || fetching {
                    condition.unlock()
                    return current
                }
            }
            if fetching {
                waitedFor = completedFetches
                condition.wait()
                continue
            }
            if let waitedFor, completedFetches > waitedFor, let lastFailure, current.map({ now >= $0.expiresOn }) != false {
                condition.unlock()
                throw lastFailure
            }
            break
        }
        fetching = true
        condition.unlock()

        let result = Result { try provider.fetchToken() }
        condition.lock()
        defer {
            fetching = false
            completedFetches += 1
            condition.broadcast()
            condition.unlock()
        }
        switch result {
        case .success(let fresh):
            current = fresh
            nextRefreshAttempt = nil
            lastFailure = nil
            return fresh
        case .failure(let error):
            lastFailure = error
            let now = clock()
            if let current, now < current.expiresOn {
                // Keep going on the old token; try again later, but before it runs out.
                nextRefreshAttempt = min(now.addingTimeInterval(retryDelaySeconds),
                                         now.addingTimeInterval(current.expiresOn.timeIntervalSince(now) / 2))
                return current
            }
            throw error
        }
    }

    /// Forgets `token` if it is still the cached one: the service refused it (401), so the next
    /// `token()` signs in again.
    public func invalidate(_ token: AccessToken) {
        condition.lock()
        if current?.value == token.value {
            current = nil
            nextRefreshAttempt = nil
        }
        condition.unlock()
    }
}
