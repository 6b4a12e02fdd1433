import Foundation

/// How requests to an S3 service are authorised. Its description never shows the secret key or
/// the session token, so it may be interpolated into logs by mistake without leaking anything.
/// Value type; safe to share between threads.
public enum S3Credential: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// An access key pair, with a session token for temporary (STS) credentials.
    case accessKey(id: String, secret: String, sessionToken: String?)
    /// No signature: public buckets, and presigned URLs (whose signature is in the URL).
    case anonymous

    /// The kind of credential, for messages; never the secret.
    public var kindName: String {
        switch self {
        case .accessKey(_, _, let token): return token == nil ? "access key" : "temporary access key"
        case .anonymous: return "anonymous access"
        }
    }

    public var description: String { "S3Credential(\(kindName): <redacted>)" }
    public var debugDescription: String { description }
    /// `dump` and debuggers see no children, so the secret stays out of their output too.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension S3Credential {
    /// Picks the credential, in order: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+
    /// `AWS_SESSION_TOKEN`); the profile's `aws_access_key_id` + `aws_secret_access_key` (+
    /// `aws_session_token`); else anonymous. Half a key pair is an `.authenticationFailed` error
    /// rather than a silent fallback to anonymous access.
    static func resolve(environment: [String: String], profile: S3Profile) throws -> S3Credential {
        func value(_ text: String?) -> String? {
            guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        let envID = value(environment["AWS_ACCESS_KEY_ID"])
        let envSecret = value(environment["AWS_SECRET_ACCESS_KEY"])
        if envID != nil || envSecret != nil {
            guard let envID, let envSecret else {
                throw FerryError(.authenticationFailed,
                                 "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set: set both, or neither to use a profile",
                                 disposition: .abortJob)
            }
            return .accessKey(id: envID, secret: envSecret, sessionToken: value(environment["AWS_SESSION_TOKEN"]))
        }
        let fileID = value(profile.values["aws_access_key_id"])
        let fileSecret = value(profile.values["aws_secret_access_key"])
        if fileID != nil || fileSecret != nil {
            guard let fileID, let fileSecret else {
                throw FerryError(.authenticationFailed,
                                 "the AWS profile '\(profile.name)' has only half a key pair: it needs aws_access_key_id and aws_secret_access_key",
                                 disposition: .abortJob)
            }
            return .accessKey(id: fileID, secret: fileSecret, sessionToken: value(profile.values["aws_session_token"]))
        }
        return .anonymous
    }
}
