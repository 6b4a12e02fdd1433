import Foundation
import Synchronization

/// The emulator's Microsoft Entra ID: it serves the tenant's OpenID configuration and keys, issues
/// access tokens for the storage resource (client credentials with a secret, a certificate's
/// assertion or a federated token; managed identity), mints the federated tokens an external
/// issuer would (tests' stand-in for a Kubernetes cluster), and validates the tokens it issued for
/// the blob service. The directory can be replaced at run time (`/__ferry/principals`).
/// Thread-safe: keys are immutable; the directory and the issued-token log sit behind `Mutex`es.
public final class EntraIssuer: Sendable {
    /// The resource (and default audience) of Azure Storage.
    public static let storageResource = "https://storage.azure.com"
    static let federatedAudience = "api://AzureADTokenExchange"
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    static let issuedLogLimit = 1000

    let signingKey: RSASigningKey
    /// Signs the federated tokens `/__ferry/federated-token` mints; trusted for every issuer that a
    /// principal's federated credential names.
    let federationKey: RSASigningKey
    /// The storage account name, for account-scoped audiences (`https://ACCOUNT.blob.core.windows.net`).
    let accountName: String
    private let state: Mutex<EntraDirectory>
    private let issuedLog = Mutex<[IssuedToken]>([])

    public init(directory: EntraDirectory, accountName: String) throws(EntraCryptoError) {
        signingKey = try RSASigningKey()
        federationKey = try RSASigningKey()
        self.accountName = accountName
        state = Mutex(directory)
    }

    public var directory: EntraDirectory { state.withLock { $0 } }

    public func replace(_ directory: EntraDirectory) { state.withLock { $0 = directory } }

    /// The tokens issued so far (oldest first, the last 1000).
    public var issuedTokens: [IssuedToken] { issuedLog.withLock { $0 } }

    // MARK: discovery

    /// `GET /{tenant}/v2.0/.well-known/openid-configuration`; `baseURL` is `https://HOST:PORT` as
    /// the client reached the emulator (MSAL checks the token endpoint's scheme and tenant segment).
    public func openIDConfiguration(tenant: String, baseURL: String) -> EntraAnswer {
        let directory = directory
        guard directory.isTenant(tenant) else { return Self.unknownTenant(tenant) }
        let root = "\(baseURL)/\(directory.tenantID)"
        return .json(200, ["issuer": "\(root)/v2.0",
                           "authorization_endpoint": "\(root)/oauth2/v2.0/authorize",
                           "token_endpoint": "\(root)/oauth2/v2.0/token",
                           "device_authorization_endpoint": "\(root)/oauth2/v2.0/devicecode",
                           "jwks_uri": "\(root)/discovery/v2.0/keys",
                           "tenant_region_scope": "WW",
                           "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                           "id_token_signing_alg_values_supported": ["RS256"],
                           "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                           "subject_types_supported": ["pairwise"],
                           "scopes_supported": ["openid", "profile", "email", "offline_access"]])
    }

    /// `GET /{tenant}/discovery/v2.0/keys` (and the v1 path): the access-token signing key.
    public func keys(tenant: String) -> EntraAnswer {
        guard directory.isTenant(tenant) else { return Self.unknownTenant(tenant) }
        return .json(200, ["keys": [signingKey.publicJWK]])
    }

    /// `GET /__ferry/federation-keys`: the key federated tokens are signed with (for clients that
    /// check them; the issuer trusts it for every federated credential's issuer).
    public var federationJWKS: EntraAnswer { .json(200, ["keys": [federationKey.publicJWK]]) }

    // MARK: minting

    /// Signs an access token for `principal` and records it. Claims as Storage's v1 tokens carry.
    /// `lifetimeSeconds` overrides the principal's and directory's lifetime (admin tokens only).
    func issue(to principal: EntraPrincipal, audience: String, flow: String, now: Date,
               lifetimeSeconds: Int? = nil) -> (token: String, issued: IssuedToken)? {
        let directory = directory
        let lifetime = lifetimeSeconds ?? principal.tokenLifetimeSeconds ?? directory.tokenLifetimeSeconds
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let expiresOn = issuedAt.addingTimeInterval(TimeInterval(lifetime))
        let claims: [String: Any] = [
            "aud": audience, "iss": directory.tokenIssuer, "iat": Int(issuedAt.timeIntervalSince1970),
            "nbf": Int(issuedAt.timeIntervalSince1970), "exp": Int(expiresOn.timeIntervalSince1970),
            "appid": principal.clientID, "appidacr": flow == "client_secret" ? "1" : "2", "idp": directory.tokenIssuer,
            "idtyp": "app", "oid": principal.objectID, "sub": principal.objectID, "tid": directory.tenantID,
            "uti": Base64URL.encode(Data(UUID().uuidString.utf8)), "ver": "1.0",
        ]
        guard let token = try? JSONWebToken.sign(claims: claims, key: signingKey) else { return nil }
        let issued = IssuedToken(displayName: principal.displayName, clientID: principal.clientID, objectID: principal.objectID,
                                 flow: flow, issuedAt: issuedAt, expiresOn: expiresOn)
        issuedLog.withLock { log in
            log.append(issued)
            if log.count > Self.issuedLogLimit { log.removeFirst(log.count - Self.issuedLogLimit) }
        }
        return (token, issued)
    }

    /// `POST /__ferry/federated-token`: what an external OIDC issuer (a Kubernetes cluster) would
    /// project into a pod, signed with the federation key.
    public func mintFederatedToken(issuer: String, subject: String, audience: String?, lifetimeSeconds: Int,
                                   now: Date = Date()) -> (token: String, expiresOn: Date)? {
        let issuedAt = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = ["iss": issuer, "sub": subject, "aud": audience ?? Self.federatedAudience,
                                     "iat": issuedAt, "nbf": issuedAt, "exp": issuedAt + lifetimeSeconds,
                                     "jti": UUID().uuidString.lowercased()]
        guard let token = try? JSONWebToken.sign(claims: claims, key: federationKey) else { return nil }
        return (token, Date(timeIntervalSince1970: TimeInterval(issuedAt + lifetimeSeconds)))
    }

    /// The audiences the blob service accepts, and the token requests' resources.
    func isStorageAudience(_ audience: String) -> Bool {
        let trimmed = audience.hasSuffix("/") ? String(audience.dropLast()) : audience
        return trimmed == Self.storageResource || trimmed == "https://\(accountName).blob.core.windows.net"
            || trimmed == "e406a681-f3d4-42a8-90b6-c2b029497af1"
    }

    static func unknownTenant(_ tenant: String) -> EntraAnswer {
        .error("invalid_request", code: 90002,
               "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
    }
}
