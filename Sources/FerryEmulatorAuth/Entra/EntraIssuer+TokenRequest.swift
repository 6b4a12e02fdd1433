import Foundation

/// `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`: the client proves it
/// is a principal with its secret, with an assertion signed by its certificate's key, or with a
/// federated token; the answer is a storage access token or Entra's error (ENTRA-RBAC.md §1.4–1.5).
/// Error texts never contain the secret or assertion presented.
extension EntraIssuer {
    public func token(tenant: String, formBody: String, tokenEndpoint: String, now: Date = Date()) -> EntraAnswer {
        let directory = directory
        guard directory.isTenant(tenant) else { return Self.unknownTenant(tenant) }
        let form = FormFields(formBody)
        guard form["grant_type"] == "client_credentials" else {
            return .error("unsupported_grant_type", code: 70003,
                          "The app requested an unsupported grant type '\(form["grant_type"] ?? "")'; ferry-emulator serves client_credentials.")
        }
        guard let clientID = form["client_id"], !clientID.isEmpty else {
            return .error("invalid_request", code: 900144, "The request body must contain the following parameter: 'client_id'.")
        }
        guard let principal = directory.principal(clientID: clientID) else {
            return .error("unauthorized_client", code: 700016,
                          "Application with identifier '\(clientID)' was not found in the directory '\(directory.tenantID)'. "
                          + "This can happen if the application has not been installed by the administrator of the tenant.")
        }
        let audience: String
        switch storageAudience(scope: form["scope"]) {
        case .success(let resource): audience = resource
        case .failure(let refusal): return refusal
        }
        let flow: String
        if let secret = form["client_secret"] {
            guard let expected = principal.clientSecret,
                  SignatureComparison.constantTimeEqual(Array(secret.utf8), Array(expected.utf8)) else {
                return .error("invalid_client", code: 7000215,
                              "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                              + "value, not the client secret ID, for a secret added to app '\(principal.clientID)'.")
            }
            flow = "client_secret"
        } else if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == Self.assertionType else {
                return .error("invalid_request", code: 50027,
                              "client_assertion_type must be '\(Self.assertionType)'.")
            }
            switch checkAssertion(assertion, principal: principal, tenant: directory.tenantID, tokenEndpoint: tokenEndpoint, now: now) {
            case .success(let how): flow = how
            case .failure(let refusal): return refusal
            }
        } else {
            return .error("invalid_client", code: 7000218,
                          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
        }
        return accessTokenAnswer(principal, audience: audience, flow: flow, now: now)
    }

    /// The v2 endpoint's scope (`https://storage.azure.com/.default`) or the resource of a v1
    /// request, as the token's audience (no trailing slash).
    func storageAudience(scope: String?) -> Result<String, EntraAnswer> {
        guard let scope, !scope.isEmpty else {
            return .failure(.error("invalid_request", code: 900144, "The request body must contain the following parameter: 'scope'."))
        }
        let scopes = scope.split(separator: " ").map(String.init)
        guard scopes.count == 1, let only = scopes.first, only.hasSuffix("/.default") else {
            return .failure(.error("invalid_scope", code: 1002012,
                                   "The provided value for scope \(scope) is not valid. Client credential flows must have a "
                                   + "scope value with /.default suffixed to the resource identifier (application ID URI)."))
        }
        var resource = String(only.dropLast("/.default".count))
        while resource.hasSuffix("/") { resource.removeLast() }
        guard isStorageAudience(resource) else {
            return .failure(.error("invalid_resource", code: 500011,
                                   "The resource principal named \(resource) was not found in the tenant. ferry-emulator issues "
                                   + "tokens for \(Self.storageResource) only."))
        }
        return .success(resource)
    }

    /// Entra's success shape; `expires_in` is what MSAL needs.
    func accessTokenAnswer(_ principal: EntraPrincipal, audience: String, flow: String, now: Date) -> EntraAnswer {
        guard let minted = issue(to: principal, audience: audience, flow: flow, now: now) else {
            return .error("server_error", code: 50000, "There was an error issuing a token.")
        }
        let (token, issued) = minted
        let lifetime = Int(issued.expiresOn.timeIntervalSince(issued.issuedAt))
        return .json(200, ["token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token],
                     issued: issued)
    }
}

/// A token minted through the admin endpoint, for stand-ins of tools that sign in on their own
/// (the Azure CLI).
public struct AdminMintedToken: Sendable {
    public let token: String
    public let issued: IssuedToken

    /// What `az account get-access-token --output json` prints (ENTRA-RBAC.md §4).
    public func azureCLIShape(tenant: String) -> [String: Any] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        return ["accessToken": token, "expiresOn": formatter.string(from: issued.expiresOn),
                "expires_on": Int(issued.expiresOn.timeIntervalSince1970), "subscription": "00000000-0000-0000-0000-000000000000",
                "tenant": tenant, "tokenType": "Bearer"]
    }
}

extension EntraIssuer {
    /// A token for `principal`, valid from `now` (which tests may put in the past or future, to
    /// get an expired or not-yet-valid token) for `lifetimeSeconds` (default: as configured).
    public func adminToken(for principal: EntraPrincipal, now: Date = Date(), lifetimeSeconds: Int? = nil) -> AdminMintedToken? {
        issue(to: principal, audience: Self.storageResource, flow: "admin", now: now, lifetimeSeconds: lifetimeSeconds)
            .map { AdminMintedToken(token: $0.token, issued: $0.issued) }
    }
}
