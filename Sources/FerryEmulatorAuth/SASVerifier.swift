import Foundation

/// Verifies account and service SAS tokens signed with an account key (PROTOCOLS.md A3): parses
/// the token, checks the signature against each key, then the time window, protocol, client IP,
/// service, resource type and permissions, in that order. Immutable value; Sendable.
struct SASVerifier: Sendable {
    let accountName: String
    let keys: [Data]

    func verify(_ request: ReceivedRequest, requirement: AccessRequirement, now: Date) -> Result<Principal, AuthRejection> {
        let token: SASToken
        switch SASToken.parse(request.query) {
        case .success(let parsed): token = parsed
        case .failure(let rejection): return .failure(rejection)
        }
        let stringToSign: String
        switch token.kind {
        case .account:
            stringToSign = SASStringToSign.account(token, accountName: accountName)
        case .service:
            if let refusal = token.serviceResourceRefusal(requirement.level) { return .failure(refusal) }
            guard let resource = canonicalResource(token, request) else {
                return .failure(.resourceTypeMismatch("A \(token.resource == "b" ? "blob" : "container") SAS "
                    + "needs a request that names a \(token.resource == "b" ? "blob" : "container")."))
            }
            stringToSign = SASStringToSign.service(token, canonicalResource: resource)
        }
        let signed = keys.contains { key in
            SignatureComparison.presented(token.signature, matches: SignatureComparison.sign(stringToSign, key: key))
        }
        guard signed else {
            return .failure(.authenticationFailed("Signature did not match. String to sign used was \(stringToSign)"))
        }
        if let refusal = token.timeRefusal(now: now) ?? token.transportRefusal(request) ?? token.grantRefusal(requirement) {
            return .failure(refusal)
        }
        return .success(.sas)
    }

    /// `/blob/{account}/{container}` for `sr=c`, plus `/{blob}` (decoded) for `sr=b`. Built from
    /// the request, so a token signed for another container or blob fails its signature check:
    /// that is how a service SAS is confined to what it names.
    private func canonicalResource(_ token: SASToken, _ request: ReceivedRequest) -> String? {
        guard let container = request.container, !container.isEmpty else { return nil }
        let containerResource = "/blob/\(accountName)/\(container)"
        if token.resource == "c" { return containerResource }
        guard let blob = request.blob, !blob.isEmpty else { return nil }
        return containerResource + "/" + blob
    }
}
