import FerryHTTP
import Foundation

/// Maps an Azure answer or a transport failure to a `FerryError` with the disposition the engine
/// acts on (PROTOCOLS.md A10). Every message names the blob by its redacted URL and says what to
/// do. Stateless; safe from any thread.
enum AzureErrorClassifier {
    /// The service error code: the `x-ms-error-code` header, else `<Code>` of the XML body.
    static func serviceCode(of response: HTTPResponse) -> String? {
        if let code = response.header("x-ms-error-code"), !code.isEmpty { return code }
        return errorBody(response.body).code
    }

    /// `<Error><Code/><Message/></Error>`: the code and the message's first line.
    static func errorBody(_ data: Data) -> (code: String?, message: String?) {
        guard !data.isEmpty else { return (nil, nil) }
        var code: String?
        var message: String?
        try? AzureXMLReader.read(data, onEnd: { path, text in
            guard path.count == 2, path[0] == "Error" else { return }
            if path[1] == "Code" { code = text }
            if path[1] == "Message" { message = text.split(separator: "\n").first.map(String.init) }
        })
        return (code, message)
    }

    /// The error for an unexpected HTTP status while doing `operation` on `target` (a redacted URL).
    static func error(for response: HTTPResponse, operation: String, target: String) -> FerryError {
        let code = serviceCode(of: response)
        let serverMessage = errorBody(response.body).message
        let label = code.map { "\(response.status) \($0)" } ?? "HTTP \(response.status)"
        let cause = Redaction.text([label, serverMessage].compactMap { $0 }.joined(separator: ": "))
        let retryAfter = response.header("retry-after").flatMap(parseRetryAfter)

        func make(_ ferryCode: FerryError.Code, _ advice: String, _ disposition: FerryError.Disposition) -> FerryError {
            FerryError(ferryCode, "\(operation) \(target) failed (\(label)): \(advice)", disposition: disposition,
                       retryAfterSeconds: disposition == .retry ? retryAfter : nil, cause: cause)
        }

        switch (response.status, code) {
        case (401, "NoAuthenticationInformation"):
            // Nothing was sent: the chain found no credential for this URL.
            return make(.authenticationFailed, "no credential applies to this URL: add a SAS, set AZURE_STORAGE_* or the "
                        + "Entra ID variables (see `ferry copy --help`), or pass --auth entra to sign in with a managed "
                        + "identity or `az login`", .abortJob)
        case (403, "AuthorizationPermissionMismatch"):
            // Bearer tokens get the role to assign (`AzureBearerRefusal`); this is a SAS without the permission.
            return make(.authenticationFailed, "the SAS token does not permit this operation: create one whose sp= "
                        + "includes it (r read, l list, w write, d delete)", .abortJob)
        case (401, _), (403, _):
            return make(.authenticationFailed,
                         "check the account key, the SAS token's expiry and permissions, or the bearer token", .abortJob)
        case (404, "ContainerNotFound"):
            // Every other file would fail the same way: stop the job with one clear error.
            return make(.notFound, "the container does not exist; create it or check the URL", .abortJob)
        case (404, _):
            return make(.notFound, "check that the container and blob exist", .skipItem)
        case (409, "BlobAlreadyExists"), (412, _):
            return make(.destinationExists, "the blob already exists; allow overwriting to replace it", .skipItem)
        case (400, "Md5Mismatch"), (400, "Crc64Mismatch"):
            return make(.checksumMismatch, "the service received different bytes than were sent; they will be resent", .retry)
        case (408, _), (500, _), (502, _), (503, _), (504, _):
            var busy = make(.serviceBusy, "the service is busy or timed out; the request will be retried", .retry)
            // 503 is ServerBusy (account limits); 500 OperationTimedOut, 408 and 504 ran out of time.
            busy.signalsOverload = response.status != 502 && (response.status != 500 || code == "OperationTimedOut")
            return busy
        case (500...599, _):
            return make(.protocolViolation, "the service cannot perform this request", .skipItem)
        default:
            return make(.protocolViolation, "the service refused the request", .skipItem)
        }
    }

    /// The error for a request that got no usable response.
    static func error(for failure: HTTPError, operation: String, target: String) -> FerryError {
        HTTPFailureClassifier.error(for: failure, operation: operation, target: target,
                                    checkAdvice: "check the URL, TLS certificates and proxy settings")
    }

    /// `Retry-After` as seconds: either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ text: String) -> Double? {
        HTTPFailureClassifier.parseRetryAfter(text)
    }
}
