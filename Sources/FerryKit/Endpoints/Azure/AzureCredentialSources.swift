import Foundation

/// Where an Azure endpoint may find credentials besides a SAS in its URL.
/// Value type; safe to share between threads.
public struct AzureCredentialSources: Sendable {
    /// Process environment: AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT +
    /// AZURE_STORAGE_KEY, AZURE_STORAGE_TOKEN.
    public var environment: [String: String]
    /// A file holding a bearer token (`--bearer-token-file`), read at start.
    public var bearerTokenFile: String?

    public init(environment: [String: String], bearerTokenFile: String? = nil) {
        self.environment = environment
        self.bearerTokenFile = bearerTokenFile
    }
}
