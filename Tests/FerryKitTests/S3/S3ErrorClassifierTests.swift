import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

@Suite struct S3ErrorClassifierTests {
    static func classify(_ status: Int, _ code: String?, headers: [String: String] = [:]) -> FerryError {
        let body = code.map { "<Error><Code>\($0)</Code><Message>m</Message></Error>" } ?? ""
        return S3ErrorClassifier.error(for: HTTPResponse(status: status, headers: headers, body: Data(body.utf8)),
                                       operation: "uploading", target: "s3://b/k")
    }

    @Test func table() {
        let cases: [(Int, String?, FerryError.Code, FerryError.Disposition)] = [
            (403, "AccessDenied", .authenticationFailed, .abortJob),
            (403, "SignatureDoesNotMatch", .authenticationFailed, .abortJob),
            (403, "InvalidAccessKeyId", .authenticationFailed, .abortJob),
            (400, "ExpiredToken", .authenticationFailed, .abortJob),
            (403, "RequestTimeTooSkewed", .authenticationFailed, .abortJob),
            (403, nil, .authenticationFailed, .abortJob),
            (404, "NoSuchBucket", .notFound, .abortJob),
            (404, "NoSuchKey", .notFound, .skipItem),
            (404, "NoSuchUpload", .notFound, .skipItem),
            (404, nil, .notFound, .skipItem),
            (412, "PreconditionFailed", .destinationExists, .skipItem),
            (400, "BadDigest", .checksumMismatch, .skipItem),
            (400, "InvalidDigest", .checksumMismatch, .skipItem),
            (400, "XAmzContentSHA256Mismatch", .checksumMismatch, .skipItem),
            (400, "EntityTooSmall", .protocolViolation, .skipItem),
            (400, "InvalidPart", .protocolViolation, .skipItem),
            (400, "InvalidPartOrder", .protocolViolation, .skipItem),
            (416, "InvalidRange", .protocolViolation, .skipItem),
            (400, "RequestTimeout", .serviceBusy, .retry),
            (500, "InternalError", .serviceBusy, .retry),
            (503, "SlowDown", .serviceBusy, .retry),
            (503, "ServiceUnavailable", .serviceBusy, .retry),
            (501, "NotImplemented", .protocolViolation, .skipItem),
            (301, "PermanentRedirect", .usage, .abortJob),
            (400, "AuthorizationHeaderMalformed", .usage, .abortJob),
        ]
        for (status, code, expectedCode, expectedDisposition) in cases {
            let error = Self.classify(status, code)
            #expect(error.code == expectedCode, "\(status) \(code ?? "-")")
            #expect(error.disposition == expectedDisposition, "\(status) \(code ?? "-")")
            #expect(error.message.contains("s3://b/k"))
        }
    }

    @Test func retryAfterIsHonouredOnlyForRetries() {
        let slow = Self.classify(503, "SlowDown", headers: ["retry-after": "7"])
        #expect(slow.retryAfterSeconds == 7)
        let denied = Self.classify(403, "AccessDenied", headers: ["retry-after": "7"])
        #expect(denied.retryAfterSeconds == nil)
        #expect(S3ErrorClassifier.parseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(S3ErrorClassifier.parseRetryAfter("soon") == nil)
    }

    @Test func wrongRegionNamesTheRightOne() {
        let error = Self.classify(301, "PermanentRedirect", headers: ["x-amz-bucket-region": "eu-west-1"])
        #expect(error.message.contains("eu-west-1"))
    }

    @Test func twoHundredWithErrorIsRetryable() {
        let error = S3ErrorClassifier.errorInSuccessfulAnswer(code: "InternalError", message: "try again",
                                                              operation: "completing", target: "s3://b/k")
        #expect(error.disposition == .retry && error.code == .serviceBusy)
        #expect(error.message.contains("InternalError"))
    }

    @Test func transportFailures() {
        let refused = S3ErrorClassifier.error(for: HTTPError(.transport(curlCode: 7), message: "Failed to connect"),
                                              operation: "listing", target: "s3://b")
        #expect(refused.code == .network && refused.disposition == .retry)
        let badCertificate = S3ErrorClassifier.error(for: HTTPError(.transport(curlCode: 60), message: "SSL certificate problem"),
                                                     operation: "listing", target: "s3://b")
        #expect(badCertificate.disposition == .abortJob)
    }
}
