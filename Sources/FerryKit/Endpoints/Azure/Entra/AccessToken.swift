import Foundation

/// A bearer token for Azure Storage and when it stops being valid. Lives in memory only: it is
/// never written to the job database, a log or output. Its description shows the expiry, not the
/// token. Value type; safe to share between threads.
public struct AccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The token itself (`Authorization: Bearer <value>`). Never print it.
    public let value: String
    /// When the issuer says it expires.
    public let expiresOn: Date
    /// When this process received it (the start of its lifetime for refresh decisions).
    public let obtainedOn: Date

    public init(value: String, expiresOn: Date, obtainedOn: Date) {
        self.value = value
        self.expiresOn = expiresOn
        self.obtainedOn = obtainedOn
    }

    /// Half-way between receipt and expiry: `AccessTokenCache` asks for a new token from here on,
    /// so a refresh that fails has the whole second half of the lifetime to succeed.
    public var refreshOn: Date {
        let lifetime = max(0, expiresOn.timeIntervalSince(obtainedOn))
        return obtainedOn.addingTimeInterval(lifetime / 2)
    }

    /// The principal and validity the token claims, decoded from its payload (not verified: the
    /// service does that). Nil when the token is not a JWT.
    public var claims: AccessTokenClaims? { AccessTokenClaims(jwt: value) }

    public var description: String { "AccessToken(<redacted>, expires \(expiresOn))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
