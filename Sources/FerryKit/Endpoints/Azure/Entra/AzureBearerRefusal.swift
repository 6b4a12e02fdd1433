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
            let advice = lifetime
                ? "the access token is expired or not yet valid even after signing in again: check this machine's clock (clock skew)"
                : "the service refused the access token: check that it is issued for https://storage.azure.com by the tenant that owns the account"
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
