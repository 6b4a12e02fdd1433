import Foundation

/// Client assertions: a JWT the client signed with its certificate's key (`x5t`/`x5t#S256` name
/// the certificate), or a federated token from an external issuer that one of the principal's
/// federated credentials names (signed here by the federation key, `kid` says so).
extension EntraIssuer {
    /// The flow name on success (`certificate` or `federated`).
    func checkAssertion(_ text: String, principal: EntraPrincipal, tenant: String, tokenEndpoint: String,
                        now: Date) -> Result<String, EntraAnswer> {
        guard let jwt = JSONWebToken(compact: text) else {
            return .failure(.error("invalid_client", code: 50027, "JWT token is invalid or malformed."))
        }
        if jwt.headerString("kid") == federationKey.keyID {
            return checkFederated(jwt, principal: principal, now: now).map { _ in "federated" }
        }
        return checkCertificateAssertion(jwt, principal: principal, tenant: tenant, tokenEndpoint: tokenEndpoint, now: now)
            .map { _ in "certificate" }
    }

    private func checkCertificateAssertion(_ jwt: JSONWebToken, principal: EntraPrincipal, tenant: String,
                                           tokenEndpoint: String, now: Date) -> Result<Void, EntraAnswer> {
        let sha1 = jwt.headerString("x5t").flatMap { Base64URL.decode($0) }
        let sha256 = jwt.headerString("x5t#S256").flatMap { Base64URL.decode($0) }
        let thumbprint = jwt.headerString("x5t") ?? jwt.headerString("x5t#S256") ?? "none"
        guard let certificate = principal.certificate,
              (sha1 != nil && sha1 == certificate.sha1Thumbprint) || (sha256 != nil && sha256 == certificate.sha256Thumbprint) else {
            return .failure(.error("invalid_client", code: 700027,
                                   "Client assertion contains an invalid signature. [Reason - The key was not found., "
                                   + "Thumbprint of key used by client: '\(thumbprint)']"))
        }
        guard let algorithm = jwt.algorithm, certificate.verify(jwt.signature, of: jwt.signingInput, algorithm: algorithm) else {
            return .failure(.error("invalid_client", code: 700027,
                                   "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]"))
        }
        guard jwt.string("iss") == principal.clientID, jwt.string("sub") == principal.clientID else {
            return .failure(.error("invalid_client", code: 700021,
                                   "Client assertion application identifier doesn't match 'client_id' parameter."))
        }
        // MSAL puts the discovered token endpoint in `aud`; Entra also takes the tenant's v1 endpoint.
        let accepted = [tokenEndpoint, tokenEndpoint.replacingOccurrences(of: "/oauth2/v2.0/token", with: "/oauth2/token")]
        guard jwt.audiences.contains(where: { accepted.contains($0) }) else {
            return .failure(.error("invalid_client", code: 700023,
                                   "Client assertion audience claim does not match Realm issuer. Expected \(tokenEndpoint)."))
        }
        return checkLifetime(jwt, now: now, what: "Client assertion")
    }

    private func checkFederated(_ jwt: JSONWebToken, principal: EntraPrincipal, now: Date) -> Result<Void, EntraAnswer> {
        guard jwt.algorithm == .rs256, federationKey.verify(jwt.signature, of: jwt.signingInput, algorithm: .rs256) else {
            return .failure(.error("invalid_client", code: 700027, "Client assertion failed signature validation."))
        }
        let issuer = jwt.string("iss") ?? ""
        let subject = jwt.string("sub") ?? ""
        let matches = principal.federatedCredentials.contains { credential in
            credential.issuer == issuer && credential.subject == subject && jwt.audiences.contains(credential.audience)
        }
        guard matches else {
            return .failure(.error("invalid_request", code: 70021,
                                   "No matching federated identity record found for presented assertion. Assertion Issuer: "
                                   + "'\(issuer)'. Assertion Subject: '\(subject)'. Assertion Audience: "
                                   + "'\(jwt.audiences.joined(separator: ","))'."))
        }
        return checkLifetime(jwt, now: now, what: "Client assertion")
    }

    private func checkLifetime(_ jwt: JSONWebToken, now: Date, what: String) -> Result<Void, EntraAnswer> {
        guard let expires = jwt.time("exp") else {
            return .failure(.error("invalid_client", code: 700024, "\(what) has no expiry (exp)."))
        }
        // Entra allows five minutes of skew on assertions.
        let skew: TimeInterval = 300
        if now > expires.addingTimeInterval(skew) || (jwt.time("nbf").map { now < $0.addingTimeInterval(-skew) } ?? false) {
            return .failure(.error("invalid_client", code: 700024,
                                   "\(what) is not within its valid time range. Current time: \(ServiceTime.formatISO8601(now)), "
                                   + "assertion valid until \(ServiceTime.formatISO8601(expires))."))
        }
        return .success(())
    }
}
