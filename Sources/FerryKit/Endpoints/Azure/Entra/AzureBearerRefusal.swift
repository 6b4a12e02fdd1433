import FerryHTTP
import Foundation

/// What the blob service's refusals of a bearer token mean, in one line a user can act on:
/// - 401 (`InvalidAuthenticationInfo`, `NoAuthenticationInformation`): the token was refused even
///   after signing in again: expired or not yet valid (this machine's clock), or issued for
///   another audience or tenant; the service's `AuthenticationErrorDetail` says which;
/// - 403 `AuthorizationPermissionMismatch`: the principal has no role that allows the request.
///   Reads and listings need Storage Blob Data Reader; writes and deletes need Storage Blob Data
///   Contributor (Owner also allows both), on the container or the account.
/// Pure; safe from any thread.
enum AzureBearerRefusal {
    /// The error for `response` to a bearer-signed `method`, or nil when it is not a refusal of the token.
    static func error(for response: HTTPResponse, method: String, location: AzureBlobURL, token: AccessToken?,
                      operation: String, target: String) -> FerryError? {
        let code = AzureErrorClassifier.serviceCode(of: response)
        let principal = token?.claims?.principalSummary
        switch (response.status, code) {
        case (401, _):
            let detail = authenticationErrorDetail(response.body).map(Redaction.text)
            let label = "401 \(code ?? "Unauthorized")"
            let lifetime = detail.map { $0.localizedCaseInsensitiveContains("lifetime") || $0.localizedCaseInsensitiveContains("expired")
                || $0.localizedCaseInsensitiveContains("not yet valid") } ?? false
            let challengedTenant = response.header("www-authenticate").flatMap(challengeTenant)
            let tokenTenant = token?.claims?.tenantID
            let advice: String
            if lifetime {
                advice = "the access token is expired or not yet valid even after signing in again: check this machine's clock (clock skew)"
            } else if let challengedTenant, let tokenTenant, challengedTenant.lowercased() != tokenTenant.lowercased() {
                advice = "the account trusts tenant \(challengedTenant), but the token is from tenant \(tokenTenant): "
                    + "set AZURE_TENANT_ID=\(challengedTenant)"
            } else {
                advice = "the service refused the access token: check that it is issued for https://storage.azure.com "
                    + "by the tenant that owns the account" + (challengedTenant.map { " (\($0))" } ?? "")
            }
            return FerryError(.authenticationFailed, "\(operation) \(target) failed (\(label)\(detail.map { ": \($0)" } ?? "")): \(advice)",
                              disposition: .abortJob, cause: detail)
        case (403, "AuthorizationPermissionMismatch"):
            let writes = !["GET", "HEAD"].contains(method.uppercased())
            let role = writes ? "Storage Blob Data Contributor" : "Storage Blob Data Reader"
            let action = writes ? "write or delete" : "read or list"
            let who = principal.map { "the signed-in principal (\($0))" } ?? "the signed-in principal"
            return FerryError(.authenticationFailed,
                              "\(operation) \(target) failed (403 AuthorizationPermissionMismatch): \(who) may not \(action) "
                              + "blobs here: assign it the \(role) role (or Owner) on the container '\(location.container)' "
                              + "or the storage account '\(location.account)'",
                              disposition: .abortJob, cause: "403 AuthorizationPermissionMismatch")
        default:
            return nil
        }
    }

    /// The tenant a 401 challenge names: `Bearer authorization_uri=https://login…/{tenant}/oauth2/authorize
    /// resource_id=…` → `{tenant}` (the first path segment, as Microsoft's SDKs read it).
    static func challengeTenant(_ header: String) -> String? {
        let parameters = header.split(whereSeparator: { $0 == " " || $0 == "," })
        guard let uri = parameters.first(where: { $0.lowercased().hasPrefix("authorization_uri=") }) else { return nil }
        let value = uri.dropFirst("authorization_uri=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let schemeEnd = value.range(of: "://") else { return nil }
        let path = value[schemeEnd.upperBound...].drop { $0 != "/" }
        let tenant = path.split(separator: "/").first.map(String.init)
        return tenant.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `<Error><AuthenticationErrorDetail>…</AuthenticationErrorDetail></Error>`, first line.
    static func authenticationErrorDetail(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        var detail: String?
        try? AzureXMLReader.read(body, onEnd: { path, text in
            if path.count == 2, path[0] == "Error", path[1] == "AuthenticationErrorDetail" {
                detail = EntraTokenResponse.firstLine(text)
            }
        })
        return detail.flatMap { $0.isEmpty ? nil : $0 }
    }
}
