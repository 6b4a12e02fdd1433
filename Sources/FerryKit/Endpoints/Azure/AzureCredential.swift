import Foundation

/// How requests to one storage account are authorised. Its description never shows the secret,
/// so it may be interpolated into logs by mistake without leaking anything.
/// Value type; safe to share between threads.
public enum AzureCredential: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A SAS token: the query string without `?` (`sv=…&sig=…`), appended to every request URL.
    case sharedAccessSignature(String)
    /// Shared Key: the account name and the decoded account key bytes.
    case sharedKey(account: String, key: Data)
    /// An OAuth bearer token (`Authorization: Bearer …`) someone else obtained: used as given.
    case bearerToken(String)
    /// Microsoft Entra ID sign-in: tokens from the cache, which gets new ones before they expire.
    case entraID(AccessTokenCache)
    /// No credential: public containers (and emulators running without auth).
    case anonymous

    /// The kind of credential, for messages ("shared key", "SAS", …); never the secret.
    public var kindName: String {
        switch self {
        case .sharedAccessSignature: return "SAS token"
        case .sharedKey: return "shared key"
        case .bearerToken: return "bearer token"
        case .entraID(let tokens): return "Microsoft Entra ID: \(tokens.provider.credentialDescription)"
        case .anonymous: return "anonymous access"
        }
    }

    /// Whether requests carry `Authorization: Bearer` (and so must go over https or to loopback).
    public var sendsBearerToken: Bool {
        switch self {
        case .bearerToken, .entraID: return true
        case .sharedAccessSignature, .sharedKey, .anonymous: return false
        }
    }

    public var description: String { "AzureCredential(\(kindName): <redacted>)" }
    public var debugDescription: String { description }
    /// `dump` and debuggers see no children, so the secret stays out of their output too.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
