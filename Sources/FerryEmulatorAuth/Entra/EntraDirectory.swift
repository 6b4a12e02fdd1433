import Foundation

/// The emulated Microsoft Entra ID tenant: its principals and their role assignments on the
/// account, as `--principals FILE` describes them (format: `EntraDirectory+Parsing.swift`).
/// Immutable value; `identityHeader` and principals' secrets are never printed.
public struct EntraDirectory: Sendable, CustomStringConvertible {
    public var tenantID: String
    /// Lifetime of issued access tokens (azure-identity treats under 300 s as already expired).
    public var tokenLifetimeSeconds: Int = 3600
    /// How far past `exp` (and before `nbf`) the blob service still accepts a token.
    public var clockSkewSeconds: Int = 300
    /// The `X-IDENTITY-HEADER` value the App Service managed-identity endpoint requires; nil
    /// accepts any non-empty value.
    var identityHeader: String?
    public var principals: [EntraPrincipal]

    public init(tenantID: String, principals: [EntraPrincipal]) {
        self.tenantID = tenantID
        self.principals = principals
    }

    /// Without `identityHeader` or secrets (principals print without theirs).
    public var description: String { "tenant \(tenantID): \(principals)" }

    /// `https://sts.windows.net/{tenant}/`: Storage tokens are v1 whatever endpoint issued them.
    public var tokenIssuer: String { "https://sts.windows.net/\(tenantID)/" }

    public func principal(clientID: String) -> EntraPrincipal? {
        principals.first { $0.clientID.caseInsensitiveCompare(clientID) == .orderedSame }
    }

    public func principal(objectID: String) -> EntraPrincipal? {
        principals.first { $0.objectID.caseInsensitiveCompare(objectID) == .orderedSame }
    }

    /// The tenant named in a URL path: the ID itself (any case).
    func isTenant(_ name: String) -> Bool { name.caseInsensitiveCompare(tenantID) == .orderedSame }

    /// A summary without secrets, for `GET /__ferry/principals`.
    public var publicJSON: [String: Any] {
        ["tenantId": tenantID, "tokenLifetimeSeconds": tokenLifetimeSeconds, "clockSkewSeconds": clockSkewSeconds,
         "principals": principals.map { principal -> [String: Any] in
             ["displayName": principal.displayName, "clientId": principal.clientID, "objectId": principal.objectID,
              "hasClientSecret": principal.hasClientSecret, "hasCertificate": principal.certificate != nil,
              "managedIdentity": principal.isManagedIdentity,
              "federatedCredentials": principal.federatedCredentials.map { ["issuer": $0.issuer, "subject": $0.subject,
                                                                          "audience": $0.audience] },
              "roles": principal.roleAssignments.map { ["role": $0.role.rawValue, "scope": $0.scope.description] }]
         }]
    }
}
