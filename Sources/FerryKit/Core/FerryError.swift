import Foundation

/// Ferry's one error type for the library: a stable code (a string in JSON output), a one-line
/// message naming the file, blob or job and what to do, what the engine should do about it, and
/// the underlying cause. Messages never contain secrets: build them from redacted descriptions.
public struct FerryError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case usage                  // bad arguments or URLs
        case authenticationFailed   // 401/403: wrong key, expired SAS, missing permission
        case notFound               // source object/container missing
        case destinationExists      // --overwrite false and the object exists
        case checksumMismatch       // bytes did not verify
        case sourceChanged          // file changed while being copied
        case serviceBusy            // 503/500 retryable answers, after retries ran out
        case network                // connection errors, timeouts
        case io                     // local disk errors
        case manifest               // job database errors
        case protocolViolation      // the service answered something we cannot understand
        case cancelled
        case deletionRefused        // a sync's safety check stopped its deletes (--max-delete, empty source)
        case unsafeName             // a remote name that cannot safely become a local path (`LocalNameRules`)
        case `internal`
    }

    /// What the engine does with the error, decided where it arises.
    public enum Disposition: String, Sendable {
        case retry       // transient: try the same request again after backoff
        case skipItem    // this file fails, the job goes on
        case abortJob    // nothing else will work either (auth, disk full, bad manifest)
    }

    public var code: Code
    public var message: String
    public var disposition: Disposition
    /// Seconds the service asked us to wait (Retry-After), if any.
    public var retryAfterSeconds: Double?
    /// Underlying cause, for `--log-level debug` / verbose output. Never holds secrets.
    public var cause: String?
    /// The service refused for load or ran out of time (503 ServerBusy/SlowDown, 429, a timeout):
    /// the request governor sends less (`RequestGovernor`). Other retryable failures do not.
    public var signalsOverload = false

    public init(_ code: Code, _ message: String, disposition: Disposition,
                retryAfterSeconds: Double? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.disposition = disposition
        self.retryAfterSeconds = retryAfterSeconds
        self.cause = cause
    }

    public var description: String { message }
}
