import FerryHTTP
import Foundation

/// A managed identity, through the endpoint the platform provides:
/// - App Service / Container Apps / Functions: `IDENTITY_ENDPOINT` + `IDENTITY_HEADER`
///   (`GET {endpoint}?api-version=2019-08-01&resource=…` with `X-IDENTITY-HEADER`);
/// - a VM, VM scale set or AKS node: the instance metadata service at http://169.254.169.254
///   (`AZURE_POD_IDENTITY_AUTHORITY_HOST` overrides it), `GET /metadata/identity/oauth2/token?
///   api-version=2018-02-01&resource=…` with `Metadata: true`.
/// `AZURE_CLIENT_ID` picks a user-assigned identity. These endpoints are local to the host and plain
/// http by design, so the https rule does not apply to them. Immutable; safe from any thread.
struct ManagedIdentityTokenProvider: EntraTokenProvider {
    enum Source: Sendable, Hashable {
        /// `IDENTITY_ENDPOINT` and the secret `IDENTITY_HEADER`.
        case appService(endpoint: String, header: String)
        /// The IMDS host (`http://169.254.169.254` or the override).
        case instanceMetadata(host: String)
    }

    static let instanceMetadataHost = "http://169.254.169.254"

    let source: Source
    /// A user-assigned identity's client ID; nil = the system-assigned identity.
    let clientID: String?
    private let issuer: TokenIssuerClient

    init(source: Source, clientID: String?, issuer: TokenIssuerClient) {
        self.source = source
        self.clientID = clientID
        self.issuer = issuer
    }

    var credentialDescription: String {
        let identity = clientID.map { "managed identity \($0)" } ?? "the system-assigned managed identity"
        switch source {
        case .appService: return "\(identity) (IDENTITY_ENDPOINT)"
        case .instanceMetadata(let host):
            return host == Self.instanceMetadataHost ? "\(identity) (instance metadata service)"
                : "\(identity) (AZURE_POD_IDENTITY_AUTHORITY_HOST \(host))"
        }
    }

    /// The request URL: the endpoint with `api-version`, `resource` and, for a user-assigned identity, `client_id`.
    var requestURL: String {
        var query = [("resource", EntraScope.storageResource)]
        if let clientID { query.append(("client_id", clientID)) }
        switch source {
        case .appService(let endpoint, _):
            return endpoint + (endpoint.contains("?") ? "&" : "?") + TokenIssuerClient.formEncode([("api-version", "2019-08-01")] + query)
        case .instanceMetadata(let host):
            var base = host
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/metadata/identity/oauth2/token?" + TokenIssuerClient.formEncode([("api-version", "2018-02-01")] + query)
        }
    }

    var requestHeaders: [HTTPHeader] {
        switch source {
        case .appService(_, let header): return [HTTPHeader("X-IDENTITY-HEADER", header), HTTPHeader("Metadata", "true")]
        case .instanceMetadata: return [HTTPHeader("Metadata", "true")]
        }
    }

    func fetchToken() throws -> AccessToken {
        let advice: String
        switch source {
        case .appService: advice = "check IDENTITY_ENDPOINT and IDENTITY_HEADER, and that the app has a managed identity"
        case .instanceMetadata: advice = "check that this machine has a managed identity (AZURE_CLIENT_ID names a user-assigned one)"
        }
        return try issuer.get(requestURL, headers: requestHeaders, credential: credentialDescription, refusalAdvice: advice)
    }
}

extension ManagedIdentityTokenProvider: CustomStringConvertible, CustomReflectable {
    var description: String { "ManagedIdentityTokenProvider(\(credentialDescription))" }
    var customMirror: Mirror { Mirror(self, children: [:]) }
}
