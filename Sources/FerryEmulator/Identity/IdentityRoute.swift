/// The Entra ID issuer's and managed identity's paths, which share the port with the blob
/// service. A path whose first segment is the storage account is always the blob service's (a
/// container may well be called `oauth2`), so these match only other first segments. Pure.
enum IdentityRoute: Equatable {
    case openIDConfiguration(tenant: String)
    case keys(tenant: String)
    case token(tenant: String)
    case appServiceManagedIdentity
    case imdsManagedIdentity

    static let appServicePath = "/msi/token"
    static let imdsPath = "/metadata/identity/oauth2/token"

    static func match(method: String, rawPath: String, account: String) -> IdentityRoute? {
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let first = segments.first, first != account else { return nil }
        let rest = Array(segments.dropFirst())
        switch (method, rest) {
        case ("GET", ["v2.0", ".well-known", "openid-configuration"]): return .openIDConfiguration(tenant: first)
        case ("GET", ["discovery", "v2.0", "keys"]), ("GET", ["discovery", "keys"]): return .keys(tenant: first)
        case ("POST", ["oauth2", "v2.0", "token"]): return .token(tenant: first)
        default: break
        }
        let trimmed = rawPath.hasSuffix("/") ? String(rawPath.dropLast()) : rawPath
        if method == "GET" && trimmed == appServicePath { return .appServiceManagedIdentity }
        if method == "GET" && trimmed == imdsPath { return .imdsManagedIdentity }
        return nil
    }
}
