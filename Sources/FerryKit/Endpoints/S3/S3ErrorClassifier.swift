import FerryHTTP
import Foundation

/// Maps an S3 answer or a transport failure to a `FerryError` with the disposition the engine
/// acts on (PROTOCOLS.md B6). Every message names the object as `s3://bucket/key` and says what
/// to do. Stateless; safe from any thread.
enum S3ErrorClassifier {
    /// Service codes for which resending the same request cannot help.
    static let authenticationCodes: Set<String> = [
        "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken",
        "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem", "InvalidSecurity",
    ]

    /// The error for an unexpected HTTP status while doing `operation` on `target`.
    static func error(for response: HTTPResponse, operation: String, target: String) -> FerryError {
        let body = S3MultipartXML.errorBody(response.body)
        return error(status: response.status, code: body.code, serverMessage: body.message,
                     retryAfter: response.header("retry-after").flatMap(parseRetryAfter),
                     bucketRegion: response.header("x-amz-bucket-region"), operation: operation, target: target)
    }

    static func error(status: Int, code: String?, serverMessage: String?, retryAfter: Double?, bucketRegion: String?,
                      operation: String, target: String) -> FerryError {
        let label = code.map { "\(status) \($0)" } ?? "HTTP \(status)"
        let cause = Redaction.text([label, serverMessage].compactMap { $0 }.joined(separator: ": "))

        func make(_ ferryCode: FerryError.Code, _ advice: String, _ disposition: FerryError.Disposition) -> FerryError {
            FerryError(ferryCode, "\(operation) \(target) failed (\(label)): \(advice)", disposition: disposition,
                       retryAfterSeconds: disposition == .retry ? retryAfter : nil, cause: cause)
        }

        switch (status, code) {
        case (_, "RequestTimeTooSkewed"):
            return make(.authenticationFailed, "this machine's clock is more than 15 minutes off: fix the clock", .abortJob)
        case (301, _), (307, _), (400, "AuthorizationHeaderMalformed"), (400, "IllegalLocationConstraintException"):
            let hint = bucketRegion.map { "the bucket is in region \($0): pass that region" }
                ?? "the bucket is in another region or needs another endpoint: check the region and endpoint"
            return make(.usage, hint, .abortJob)
        case (401, _), (403, _):
            return make(.authenticationFailed, "check the access key, secret key, session token and the bucket's permissions",
                        .abortJob)
        case (_, let code?) where authenticationCodes.contains(code):
            return make(.authenticationFailed, "check the access key, secret key, session token and the bucket's permissions",
                        .abortJob)
        case (404, "NoSuchBucket"):
            return make(.notFound, "the bucket does not exist: check its name and the endpoint", .abortJob)
        case (404, "NoSuchUpload"):
            return make(.notFound, "the multipart upload is gone (aborted or expired); the file must be sent again", .skipItem)
        case (404, _):
            return make(.notFound, "check that the bucket and object exist", .skipItem)
        case (412, _):
            return make(.destinationExists, "the object already exists; allow overwriting to replace it", .skipItem)
        case (400, "BadDigest"), (400, "InvalidDigest"), (400, "XAmzContentSHA256Mismatch"):
            return make(.checksumMismatch, "the service received different bytes than were sent", .skipItem)
        case (400, "RequestTimeout"), (408, _), (429, _), (500, _), (502, _), (503, _), (504, _):
            var busy = make(.serviceBusy, "the service is busy or timed out; the request will be retried", .retry)
            // 503 SlowDown, 429 and the timeouts ask for less load; 500 and 502 do not say so.
            busy.signalsOverload = status != 500 && status != 502
            return busy
        case (400, "EntityTooSmall"), (400, "InvalidPart"), (400, "InvalidPartOrder"), (400, "EntityTooLarge"):
            return make(.protocolViolation, "the parts do not fit S3's rules or were lost; the file must be sent again", .skipItem)
        case (500...599, _):
            return make(.protocolViolation, "the service cannot perform this request", .skipItem)
        default:
            return make(.protocolViolation, "the service refused the request", .skipItem)
        }
    }

    /// A 200 answer to CompleteMultipartUpload or CopyObject whose body was an `<Error>`: S3 hit
    /// a problem after it had started to answer; sending the request again is the remedy.
    static func errorInSuccessfulAnswer(code: String?, message: String?, operation: String, target: String) -> FerryError {
        let label = "200 with error \(code ?? "(no code)")"
        return FerryError(.serviceBusy, "\(operation) \(target) failed (\(label)): the request will be retried",
                          disposition: .retry,
                          cause: Redaction.text([label, message].compactMap { $0 }.joined(separator: ": ")))
    }

    /// The error for a request that got no usable response.
    static func error(for failure: HTTPError, operation: String, target: String) -> FerryError {
        HTTPFailureClassifier.error(for: failure, operation: operation, target: target,
                                    checkAdvice: "check the endpoint URL, TLS certificates and proxy settings")
    }

    /// `Retry-After` as seconds: either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ text: String) -> Double? {
        HTTPFailureClassifier.parseRetryAfter(text)
    }
}
