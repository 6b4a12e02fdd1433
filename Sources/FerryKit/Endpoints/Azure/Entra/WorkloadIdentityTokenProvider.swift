import Foundation

/// A Kubernetes workload identity (`AZURE_FEDERATED_TOKEN_FILE`, `AZURE_TENANT_ID`,
/// `AZURE_CLIENT_ID`): the projected service-account token in the file is exchanged, as a client
/// assertion, for a storage token. The kubelet rotates the file, so it is read again for every new
/// token. Immutable; safe from any thread.
struct WorkloadIdentityTokenProvider: EntraTokenProvider {
    let tenantID: String
    let clientID: String
    let federatedTokenFile: String
    let tokenURL: String
    private let issuer: TokenIssuerClient

    init(tenantID: String, clientID: String, federatedTokenFile: String, authority: EntraAuthority, issuer: TokenIssuerClient) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.federatedTokenFile = federatedTokenFile
        tokenURL = authority.tokenURL(tenant: tenantID)
        self.issuer = issuer
    }

    var credentialDescription: String {
        "workload identity \(clientID) with the federated token in \(federatedTokenFile) (AZURE_FEDERATED_TOKEN_FILE)"
    }

    func fetchToken() throws -> AccessToken {
        try issuer.postForm(try formFields(), to: tokenURL, credential: credentialDescription)
    }

    /// The token exchange form; the federated token is read from its file now (it rotates).
    func formFields() throws -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: federatedTokenFile) else {
            throw FerryError(.authenticationFailed, "cannot read the federated token file '\(federatedTokenFile)' "
                             + "(AZURE_FEDERATED_TOKEN_FILE): check the path and its permissions", disposition: .abortJob)
        }
        let assertion = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !assertion.isEmpty else {
            throw FerryError(.authenticationFailed, "the federated token file '\(federatedTokenFile)' is empty",
                             disposition: .abortJob)
        }
        return [("client_assertion", assertion), ("client_assertion_type", ClientAssertion.assertionType),
                ("client_id", clientID), ("grant_type", "client_credentials"), ("scope", EntraScope.storage)]
    }
}
