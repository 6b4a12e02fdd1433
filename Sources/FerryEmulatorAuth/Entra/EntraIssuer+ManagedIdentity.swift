import Foundation

/// The managed-identity endpoints a compute host serves (ENTRA-RBAC.md §3): the App Service
/// protocol (`IDENTITY_ENDPOINT` + `X-IDENTITY-HEADER`) and the instance metadata service
/// (IMDS, `Metadata: true`). Without a client_id, object_id or resource ID the identity is the
/// first principal marked `managedIdentity` (the "system-assigned" one).
extension EntraIssuer {
    public enum ManagedIdentityProtocol: Sendable { case appService, imds }

    /// `query` holds the decoded query parameters; `header(name)` reads a request header.
    public func managedIdentityToken(_ kind: ManagedIdentityProtocol, query: [String: String],
                                     header: (String) -> String?, now: Date = Date()) -> EntraAnswer {
        let directory = directory
        switch kind {
        case .appService:
            let presented = header("X-IDENTITY-HEADER") ?? ""
            let accepted = presented.isEmpty ? false
                : directory.identityHeader.map { SignatureComparison.constantTimeEqual(Array(presented.utf8), Array($0.utf8)) } ?? true
            guard accepted else {
                return .json(401, ["statusCode": 401, "message": "The X-IDENTITY-HEADER is missing or is not the one this host was given."])
            }
        case .imds:
            guard header("Metadata")?.lowercased() == "true" else {
                return .json(400, ["error": "invalid_request", "error_description": "Required metadata header not specified"])
            }
        }
        var resource = query["resource"] ?? ""
        while resource.hasSuffix("/") { resource.removeLast() }
        guard isStorageAudience(resource) else {
            return .json(400, ["error": "invalid_resource",
                               "error_description": "AADSTS500011: The resource principal named \(resource) was not found in the tenant."])
        }
        let identities = directory.principals.filter(\.isManagedIdentity)
        let chosen: EntraPrincipal?
        if let clientID = query["client_id"] {
            chosen = identities.first { $0.clientID.caseInsensitiveCompare(clientID) == .orderedSame }
        } else if let objectID = query["object_id"] ?? query["principal_id"] {
            chosen = identities.first { $0.objectID.caseInsensitiveCompare(objectID) == .orderedSame }
        } else if let resourceID = query["mi_res_id"] ?? query["msi_res_id"] {
            chosen = identities.first { resourceID.hasSuffix("/\($0.displayName)") }
        } else {
            chosen = identities.first
        }
        guard let principal = chosen else {
            return .json(400, ["error": "invalid_request",
                               "error_description": "Identity not found: no managed identity of this host matches the request."])
        }
        let flow = kind == .appService ? "managed_identity_app_service" : "managed_identity_imds"
        guard let minted = issue(to: principal, audience: resource, flow: flow, now: now) else {
            return .json(500, ["error": "server_error", "error_description": "There was an error issuing a token."])
        }
        let (token, issued) = minted
        let expiresOn = String(Int(issued.expiresOn.timeIntervalSince1970))
        var body: [String: Any] = ["access_token": token, "expires_on": expiresOn, "resource": resource,
                                   "token_type": "Bearer", "client_id": principal.clientID]
        if kind == .imds {
            body["expires_in"] = String(Int(issued.expiresOn.timeIntervalSince(issued.issuedAt)))
            body["ext_expires_in"] = body["expires_in"]
            body["not_before"] = String(Int(issued.issuedAt.timeIntervalSince1970))
        }
        return .json(200, body, issued: issued)
    }
}
