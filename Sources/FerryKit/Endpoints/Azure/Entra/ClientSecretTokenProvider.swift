import Foundation

/// A service principal signing in with a client secret (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
/// `AZURE_CLIENT_SECRET`): the OAuth 2.0 client-credentials grant, secret in the form body as
/// MSAL sends it. Immutable; safe from any thread.
struct ClientSecretTokenProvider: EntraTokenProvider {
    let tenantID: String
    let clientID: String
    /// Never printed: the type's mirror and description leave it out.
    private let secret: String
    let tokenURL: String
    private let issuer: TokenIssuerClient

    init(tenantID: String, clientID: String, secret: String, authority: EntraAuthority, issuer: TokenIssuerClient) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.secret = secret
        tokenURL = authority.tokenURL(tenant: tenantID)
        self.issuer = issuer
    }

    var credentialDescription: String { "service principal \(clientID) with a client secret (AZURE_CLIENT_SECRET)" }

    func fetchToken() throws -> AccessToken {
        try issuer.postForm(formFields(), to: tokenURL, credential: credentialDescription)
    }

    /// The client-credentials form, secret in the body (not Basic auth), as MSAL sends it.
    func formFields() -> [(String, String)] {
        [("client_id", clientID), ("grant_type", "client_credentials"), ("client_secret", secret), ("scope", EntraScope.storage)]
    }
}

extension ClientSecretTokenProvider: CustomStringConvertible, CustomReflectable {
    var description: String { "ClientSecretTokenProvider(\(clientID), <redacted>)" }
    var customMirror: Mirror { Mirror(self, children: [:]) }
}
