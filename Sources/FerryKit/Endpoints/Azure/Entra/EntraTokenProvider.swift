import Foundation

/// One way of signing in to Microsoft Entra ID for Azure Storage: a service principal (secret or
/// certificate), a workload identity, a managed identity, or the Azure CLI's login. Each call to
/// `fetchToken` asks its issuer for a new token; `AccessTokenCache` decides when to call it.
/// Implementations are immutable (or locked) and safe to call from any thread; `fetchToken`
/// blocks, so call it from worker threads, never from Swift's cooperative pool.
public protocol EntraTokenProvider: Sendable {
    /// What signs in, for messages and `ferry login status` ("service principal with a client
    /// secret (AZURE_CLIENT_SECRET)"); never a secret.
    var credentialDescription: String { get }
    /// A new token for `EntraScope.storage`. Throws `FerryError(.authenticationFailed)` when the
    /// issuer refuses (wrong secret, unknown client), `.network`/`.serviceBusy` (disposition
    /// `.retry`) when it cannot be reached.
    func fetchToken() throws -> AccessToken
}

/// The scope and resource Azure Storage tokens are issued for.
public enum EntraScope {
    /// OAuth 2.0 v2 scope (token endpoint, Azure CLI `--scope`).
    public static let storage = "https://storage.azure.com/.default"
    /// v1 resource (managed identity endpoints, Azure CLI `--resource`).
    public static let storageResource = "https://storage.azure.com"
}
