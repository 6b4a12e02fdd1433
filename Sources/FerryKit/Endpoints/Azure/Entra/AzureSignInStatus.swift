import Foundation

/// What `ferry login status [URL]` reports: the credential the chain picks, the principal its
/// token names (tenant, client ID, object ID, decoded from the token's payload; never the token),
/// when that token expires, and, for a URL, whether the service lets it list, read, write and
/// delete there. Value type; safe to share between threads.
public struct AzureSignInStatus: Sendable {
    /// What a probe found.
    public enum Access: Sendable, Hashable {
        case allowed
        /// Refused; the one-line reason (a role to assign, a SAS permission).
        case denied(String)
        /// The service refused the credential itself (401: a token it does not accept).
        case credentialRefused(String)
        /// The probe could not tell (the service failed or answered something unexpected).
        case unknown(String)

        public var word: String {
            switch self {
            case .allowed: return "allowed"
            case .denied: return "denied"
            case .credentialRefused: return "credential refused"
            case .unknown: return "unknown"
            }
        }

        public var reason: String? {
            switch self {
            case .allowed: return nil
            case .denied(let reason), .credentialRefused(let reason), .unknown(let reason): return reason
            }
        }
    }

    /// The credential's kind and source ("Microsoft Entra ID: service principal … (AZURE_CLIENT_SECRET)").
    public var credential: String
    /// Claims of the token in use (Entra ID or a bearer token given); nil for keys, SAS, anonymous.
    public var principal: AccessTokenClaims?
    public var expiresOn: Date?
    /// The location probed (redacted), and what each operation found, in order: list, read, write, delete.
    public var location: String?
    public var probes: [(operation: String, access: Access)] = []

    /// Whether the service refused the credential itself at the location (exit 3).
    public var credentialRefused: Bool {
        probes.contains { if case .credentialRefused = $0.access { return true } else { return false } }
    }

    /// Signs in as the chain (or `--auth`) would for `url` (nil: the Entra ID / bearer sources
    /// alone), then, with a URL, probes it. Throws the sign-in's error (exit 3). Blocks.
    public static func check(url: String?, sources: AzureCredentialSources) throws -> AzureSignInStatus {
        guard let url else {
            let credential = try AzureCredential.resolveSignIn(sources: sources)
            return try describe(credential)
        }
        let endpoint = try AzureBlobEndpoint(url: url, credentials: sources, connectionCount: 2)
        var status = try describe(endpoint.client.credential)
        status.location = endpoint.redactedDescription
        status.probes = AzureAccessProbe(client: endpoint.client).run()
        return status
    }

    /// The credential's description, and for a token its claims and expiry (signing in if needed).
    static func describe(_ credential: AzureCredential) throws -> AzureSignInStatus {
        var status = AzureSignInStatus(credential: credential.kindName)
        switch credential {
        case .entraID(let tokens):
            let token = try tokens.token()
            status.credential = "Microsoft Entra ID: \(tokens.provider.credentialDescription)"
            status.principal = token.claims
            status.expiresOn = token.expiresOn
        case .bearerToken(let value):
            status.principal = AccessTokenClaims(jwt: value)
            status.expiresOn = status.principal?.expiresOn
        case .sharedAccessSignature, .sharedKey, .anonymous:
            break
        }
        return status
    }
}

extension AzureCredential {
    /// The credential without a URL: a bearer token given, else an Entra ID sign-in the
    /// environment configures (with `--auth entra`, also the metadata service and the Azure CLI),
    /// else anonymous. `--auth sas|key` need a URL (their sources are bound to an account).
    public static func resolveSignIn(sources: AzureCredentialSources) throws -> AzureCredential {
        switch sources.authMode {
        case .anonymous?: return .anonymous
        case .some(let mode) where mode == .sas || mode == .key:
            throw FerryError(.usage, "--auth \(mode.rawValue) needs a URL: `ferry login status URL`", disposition: .abortJob)
        default:
            // An https URL of an account no account-bound source names: what is left is the
            // chain's bearer and Entra ID part (or, without --auth, anonymous).
            let placeholder = try AzureBlobURL(parsing: "https://ferry-login-status.blob.core.windows.net/container")
            return try resolve(for: placeholder, sources: sources)
        }
    }
}
