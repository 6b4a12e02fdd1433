import Foundation

/// The blob service's side: an `Authorization: Bearer` JWT is accepted when this issuer signed
/// it, for Storage, for this tenant, and now lies within [nbf, exp] give or take the directory's
/// clock skew. Details name what failed as the service words it, never the token.
extension EntraIssuer {
    public enum BearerVerdict: Sendable {
        case principal(EntraPrincipal)
        /// The object ID of a token whose principal is no longer in the directory.
        case unknownPrincipal(String)
        case invalid(detail: String)
    }

    public func validate(bearer token: some StringProtocol, now: Date = Date()) -> BearerVerdict {
        let directory = directory
        guard let jwt = JSONWebToken(compact: token) else {
            return .invalid(detail: "IDX14100: JWT is not well formed.")
        }
        guard jwt.algorithm == .rs256, jwt.headerString("kid") == signingKey.keyID,
              signingKey.verify(jwt.signature, of: jwt.signingInput, algorithm: .rs256) else {
            return .invalid(detail: "Signature validation failed. The token was not issued by this ferry-emulator run.")
        }
        guard jwt.audiences.contains(where: isStorageAudience) else {
            return .invalid(detail: "Audience validation failed. Audience did not match.")
        }
        guard jwt.string("iss") == directory.tokenIssuer, jwt.string("tid").map(directory.isTenant) ?? false else {
            return .invalid(detail: "Issuer validation failed. Issuer did not match.")
        }
        let skew = TimeInterval(directory.clockSkewSeconds)
        guard let expires = jwt.time("exp"), now <= expires.addingTimeInterval(skew) else {
            return .invalid(detail: "Lifetime validation failed. The token is expired.")
        }
        if let notBefore = jwt.time("nbf"), now < notBefore.addingTimeInterval(-skew) {
            return .invalid(detail: "Lifetime validation failed. The token is not yet valid (nbf).")
        }
        guard let objectID = jwt.string("oid") else { return .invalid(detail: "The token has no oid claim.") }
        guard let principal = directory.principal(objectID: objectID) else { return .unknownPrincipal(objectID) }
        return .principal(principal)
    }
}
