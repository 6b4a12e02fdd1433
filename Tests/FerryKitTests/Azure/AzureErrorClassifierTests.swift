import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

@Suite struct AzureErrorClassifierTests {
    func classify(_ status: Int, _ code: String?, retryAfter: String? = nil, bodyCode: String? = nil) -> FerryError {
        var headers: [String: String] = [:]
        if let code { headers["x-ms-error-code"] = code }
        if let retryAfter { headers["retry-after"] = retryAfter }
        let body = bodyCode.map { Data("<?xml version=\"1.0\"?><Error><Code>\($0)</Code><Message>m</Message></Error>".utf8) } ?? Data()
        return AzureErrorClassifier.error(for: HTTPResponse(status: status, headers: headers, body: body),
                                          operation: "uploading", target: "http://127.0.0.1:1/a/c/blob.bin")
    }

    @Test func table() {
        let cases: [(Int, String?, FerryError.Code, FerryError.Disposition)] = [
            (403, "AuthenticationFailed", .authenticationFailed, .abortJob),
            (403, "AuthorizationPermissionMismatch", .authenticationFailed, .abortJob),
            (401, "NoAuthenticationInformation", .authenticationFailed, .abortJob),
            (404, "BlobNotFound", .notFound, .skipItem),
            (404, "ContainerNotFound", .notFound, .abortJob),
            (404, nil, .notFound, .skipItem),
            (409, "BlobAlreadyExists", .destinationExists, .skipItem),
            (412, "ConditionNotMet", .destinationExists, .skipItem),
            (400, "Md5Mismatch", .checksumMismatch, .retry),
            (400, "Crc64Mismatch", .checksumMismatch, .retry),
            (408, nil, .serviceBusy, .retry),
            (500, "OperationTimedOut", .serviceBusy, .retry),
            (503, "ServerBusy", .serviceBusy, .retry),
            (400, "InvalidBlockList", .protocolViolation, .skipItem),
        ]
        for (status, code, expectedCode, expectedDisposition) in cases {
            let error = classify(status, code)
            #expect(error.code == expectedCode, "\(status) \(code ?? "-")")
            #expect(error.disposition == expectedDisposition, "\(status) \(code ?? "-")")
            #expect(error.message.contains("blob.bin"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func codeFromBodyWhenNoHeader() {
        let error = classify(400, nil, bodyCode: "Crc64Mismatch")
        #expect(error.code == .checksumMismatch)
        #expect(error.message.contains("Crc64Mismatch"))
    }

    @Test func retryAfter() {
        #expect(classify(503, "ServerBusy", retryAfter: "7").retryAfterSeconds == 7)
        #expect(classify(503, "ServerBusy").retryAfterSeconds == nil)
        #expect(classify(404, nil, retryAfter: "7").retryAfterSeconds == nil)
    }

    @Test func transportErrors() {
        let refused = AzureErrorClassifier.error(for: HTTPError(.transport(curlCode: 7), message: "Failed to connect"),
                                                 operation: "reading", target: "t")
        #expect(refused.code == .network && refused.disposition == .retry)
        let badCertificate = AzureErrorClassifier.error(for: HTTPError(.transport(curlCode: 60), message: "cert"),
                                                        operation: "reading", target: "t")
        #expect(badCertificate.disposition == .abortJob)
    }
}
