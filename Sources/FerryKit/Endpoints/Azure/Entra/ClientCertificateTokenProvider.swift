import Foundation

/// A service principal signing in with a certificate (`AZURE_CLIENT_CERTIFICATE_PATH`: a PEM
/// holding the certificate and its RSA private key): each token request carries a fresh client
/// assertion, a JWT signed RS256 with the key and naming the certificate by its thumbprints.
/// Immutable; safe from any thread.
struct ClientCertificateTokenProvider: EntraTokenProvider {
    let tenantID: String
    let clientID: String
    let certificate: ClientCertificate
    let tokenURL: String
    let certificatePath: String
    private let issuer: TokenIssuerClient
    private let clock: @Sendable () -> Date

    init(tenantID: String, clientID: String, certificate: ClientCertificate, certificatePath: String,
         authority: EntraAuthority, issuer: TokenIssuerClient, clock: @escaping @Sendable () -> Date = Date.init) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.certificate = certificate
        self.certificatePath = certificatePath
        tokenURL = authority.tokenURL(tenant: tenantID)
        self.issuer = issuer
        self.clock = clock
    }

    var credentialDescription: String {
        "service principal \(clientID) with the certificate \(certificatePath) (AZURE_CLIENT_CERTIFICATE_PATH)"
    }

    func fetchToken() throws -> AccessToken {
        try issuer.postForm(try formFields(), to: tokenURL, credential: credentialDescription)
    }

    /// The client-credentials form with a freshly signed assertion (audience: the token endpoint).
    func formFields() throws -> [(String, String)] {
        let assertion = try ClientAssertion(clientID: clientID, audience: tokenURL, issuedAt: clock()).signed(with: certificate)
        return [("client_id", clientID), ("grant_type", "client_credentials"),
                ("client_assertion_type", ClientAssertion.assertionType), ("client_assertion", assertion),
                ("scope", EntraScope.storage)]
    }
}
