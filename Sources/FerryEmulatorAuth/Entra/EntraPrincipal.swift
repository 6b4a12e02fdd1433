import Foundation

/// A federated identity credential: an external issuer's token for this subject (and audience)
/// may be exchanged for this principal's access token (workload identity).
public struct FederatedCredential: Sendable, Equatable {
    public var issuer: String
    public var subject: String
    public var audience: String = "api://AzureADTokenExchange"
}

/// One service principal or managed identity of the emulated tenant. `clientSecret` is a secret:
/// never printed (`description` omits it). Immutable value.
public struct EntraPrincipal: Sendable, CustomStringConvertible {
    public var displayName: String
    public var clientID: String
    public var objectID: String
    var clientSecret: String?
    /// The registered certificate's public key; nil when the principal has none.
    var certificate: RSAPublicKey?
    public var certificatePath: String?
    public var federatedCredentials: [FederatedCredential] = []
    public var isManagedIdentity = false
    public var roleAssignments: [RoleAssignment] = []
    /// Overrides the directory's token lifetime for this principal.
    public var tokenLifetimeSeconds: Int?

    public var description: String { "\(displayName) (client \(clientID), object \(objectID))" }

    public var hasClientSecret: Bool { clientSecret != nil }

    /// Whether an assignment allows `action` on `container` (nil: the account itself).
    func isAllowed(_ action: BlobDataAction, container: String?) -> Bool {
        roleAssignments.contains { $0.scope.covers(container: container) && $0.role.allowedActions.contains(action) }
    }
}
