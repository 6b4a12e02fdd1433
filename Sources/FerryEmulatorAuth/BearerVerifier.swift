import Foundation

/// Verifies `Authorization: Bearer <token>`: the static token the emulator was started with
/// (`--bearer-token`, full access, for OAuth-mode clients that bring their own token), or a JWT
/// the emulator's Entra ID issuer signed (`--principals`), whose principal's role assignments
/// then decide, as Azure RBAC does: no role allowing the data action on the request's container
/// or the account → 403 `AuthorizationPermissionMismatch`; a bad or expired token → 401
/// `InvalidAuthenticationInfo` with the challenge naming this issuer's tenant, so Microsoft's SDK
/// asks again for that tenant. Immutable value; Sendable.
struct BearerVerifier: Sendable {
    let expectedToken: String?
    let entra: EntraIssuer?

    /// `token` is the Authorization value after the `Bearer ` scheme.
    func verify(token: Substring, request: ReceivedRequest, requirement: AccessRequirement,
                now: Date) -> Result<Principal, AuthRejection> {
        let presented = token.trimmingCharacters(in: .whitespaces)
        if let expectedToken, !presented.isEmpty,
           SignatureComparison.constantTimeEqual(Array(presented.utf8), Array(expectedToken.utf8)) {
            return .success(.bearer)
        }
        guard let entra else {
            guard expectedToken != nil else {
                return .failure(.invalidBearer("ferry-emulator was started without a bearer token; use Shared Key or SAS."))
            }
            return .failure(.invalidBearer("The bearer token is not the one ferry-emulator was started with."))
        }
        let challenge = Self.challenge(tenant: entra.directory.tenantID, host: request.headerValue("Host"))
        switch entra.validate(bearer: presented, now: now) {
        case .invalid(let detail):
            return .failure(.invalidBearer(detail, challenge: challenge))
        case .unknownPrincipal:
            return .failure(.permissionMismatch("The principal of this token has no role assignment on this account."))
        case .principal(let principal):
            guard principal.isAllowed(requirement.dataAction, container: request.container) else {
                return .failure(.permissionMismatch(
                    "\(principal.displayName) has no role that allows \(requirement.dataAction.rawValue) on "
                    + (request.container.map { "container/\($0)" } ?? "the account") + "."))
            }
            return .success(.entra(objectID: principal.objectID))
        }
    }

    /// The service names the tenant's authority; the emulator names itself as the host the client used.
    static func challenge(tenant: String, host: String?) -> String {
        "Bearer authorization_uri=https://\(host ?? "login.microsoftonline.com")/\(tenant)/oauth2/authorize "
            + "resource_id=https://storage.azure.com"
    }
}
