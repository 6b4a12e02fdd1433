import Foundation

/// Where an Azure endpoint may find credentials besides a SAS in its URL, and what it trusts.
/// Value type; safe to share between threads.
public struct AzureCredentialSources: Sendable {
    /// Process environment: AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT +
    /// AZURE_STORAGE_KEY, AZURE_STORAGE_TOKEN, the Entra ID variables (AZURE_TENANT_ID,
    /// AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, …), SSL_CERT_FILE / CURL_CA_BUNDLE, PATH.
    public var environment: [String: String]
    /// A file holding a bearer token (`--bearer-token-file`), read at start.
    public var bearerTokenFile: String?
    /// `--auth`: which kind of credential to use; nil = the documented chain.
    public var authMode: AzureAuthMode?
    /// `--ca-file`: a PEM of CAs to trust for the blob service and the token issuer.
    public var caFile: String?

    public init(environment: [String: String], bearerTokenFile: String? = nil, authMode: AzureAuthMode? = nil,
                caFile: String? = nil) {
        self.environment = environment
        self.bearerTokenFile = bearerTokenFile
        self.authMode = authMode
        self.caFile = caFile
    }

    /// The CA bundle to trust instead of the system's: `--ca-file`, else `SSL_CERT_FILE`, else
    /// `CURL_CA_BUNDLE`; nil = the system store.
    public var caBundlePath: String? {
        for candidate in [caFile, environment["SSL_CERT_FILE"], environment["CURL_CA_BUNDLE"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return nil
    }
}

/// `--auth`: the kind of credential to use for Azure URLs, overriding the chain's order.
public enum AzureAuthMode: String, Sendable, Codable, CaseIterable {
    /// A SAS in the URL, or in AZURE_STORAGE_CONNECTION_STRING.
    case sas
    /// The account key: AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY.
    case key
    /// Microsoft Entra ID: a bearer token given, or a sign-in (service principal, workload or
    /// managed identity, then the instance metadata service and the Azure CLI).
    case entra
    /// No credential (public containers).
    case anonymous
}

/// How an Azure side signs in, as recorded with a job so `jobs resume` signs in the same way.
/// Names the method and the CA file, never a secret. Value type; safe to share between threads.
public struct AzureSignInSettings: Sendable, Hashable, Codable {
    public var authMode: AzureAuthMode?
    public var caFile: String?

    public init(authMode: AzureAuthMode? = nil, caFile: String? = nil) {
        self.authMode = authMode
        self.caFile = caFile
    }

    /// Nil when nothing differs from the defaults (nothing worth recording).
    public var recorded: AzureSignInSettings? { authMode == nil && caFile == nil ? nil : self }

    /// These settings with the ones given again on the command line winning.
    public func overridden(by given: AzureSignInSettings) -> AzureSignInSettings {
        AzureSignInSettings(authMode: given.authMode ?? authMode, caFile: given.caFile ?? caFile)
    }
}
