import Foundation

/// Tries providers in order until one gives a token, then keeps to that one (as
/// DefaultAzureCredential does for the credentials it cannot detect from the environment: the
/// instance metadata service, then the Azure CLI). Thread-safe: the chosen provider is behind a lock.
final class FirstAvailableTokenProvider: EntraTokenProvider, @unchecked Sendable {
    let candidates: [any EntraTokenProvider]
    private let lock = NSLock()
    private var chosen: (any EntraTokenProvider)?

    init(candidates: [any EntraTokenProvider]) {
        self.candidates = candidates
    }

    var credentialDescription: String {
        lock.lock()
        defer { lock.unlock() }
        if let chosen { return chosen.credentialDescription }
        return candidates.map(\.credentialDescription).joined(separator: ", else ")
    }

    func fetchToken() throws -> AccessToken {
        lock.lock()
        let chosen = self.chosen
        lock.unlock()
        if let chosen { return try chosen.fetchToken() }
        var reasons: [String] = []
        for candidate in candidates {
            do {
                let token = try candidate.fetchToken()
                lock.lock()
                self.chosen = candidate
                lock.unlock()
                return token
            } catch let error as FerryError {
                reasons.append(error.message)
            }
        }
        throw FerryError(.authenticationFailed, "no Microsoft Entra ID credential is available: set AZURE_TENANT_ID, "
                         + "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, "
                         + "AZURE_FEDERATED_TOKEN_FILE, IDENTITY_ENDPOINT), or run `az login`", disposition: .abortJob,
                         cause: reasons.joined(separator: "; "))
    }
}
