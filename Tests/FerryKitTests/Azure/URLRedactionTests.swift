import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

/// Plants secrets in every input we accept and searches every description and error for them.
@Suite struct URLRedactionTests {
    static let sasSecret = "SASSECRETzz9%2Bq%3D"
    static let keySecret = Data("KEYSECRET-0123456789".utf8).base64EncodedString()
    static let tokenSecret = "TOKENSECRETeyJhbGciOi"

    let secrets = [sasSecret, "SASSECRETzz9", keySecret, tokenSecret]

    func expectClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!text.contains(secret), "leaked a secret in: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func urlRedaction() {
        let url = "https://user:pw@acct.blob.core.windows.net/c/x?sv=2021-08-06&sig=\(Self.sasSecret)&se=2030"
        let redacted = Redaction.url(url)
        expectClean(redacted)
        #expect(redacted == "https://REDACTED@acct.blob.core.windows.net/c/x?sv=2021-08-06&sig=REDACTED&se=2030")
        #expect(!redacted.contains("pw"))
        // Unknown names are redacted too; the Blob API's own parameters stay readable.
        #expect(Redaction.url("http://h/a/c?comp=list&marker=m1&my_token=abc") == "http://h/a/c?comp=list&marker=m1&my_token=REDACTED")
        let s3 = Redaction.url("http://h/b/k?X-Amz-Credential=AKID%2F2024&X-Amz-Signature=abc&x-amz-security-token=t")
        #expect(s3 == "http://h/b/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&x-amz-security-token=REDACTED")
    }

    @Test func textRedaction() {
        let text = "failed GET https://a.blob.core.windows.net/c?sig=\(Self.sasSecret) with AccountKey=\(Self.keySecret); "
            + "Authorization: Bearer \(Self.tokenSecret)"
        expectClean(Redaction.text(text))
    }

    @Test func credentialDescriptions() {
        let credentials: [AzureCredential] = [
            .sharedAccessSignature("sv=1&sig=\(Self.sasSecret)"),
            .sharedKey(account: "acct", key: Data(base64Encoded: Self.keySecret)!),
            .bearerToken(Self.tokenSecret),
        ]
        for credential in credentials {
            expectClean("\(credential)")
            expectClean(String(reflecting: credential))
            var dumped = ""
            dump(credential, to: &dumped)
            expectClean(dumped)
        }
    }

    @Test func endpointDescriptionAndErrors() throws {
        let url = "http://127.0.0.1:9/devstoreaccount1/c01/dir?sv=2021-08-06&sig=\(Self.sasSecret)"
        let endpoint = try AzureBlobEndpoint(url: url, credentials: .init(environment: [:]), connectionCount: 1)
        expectClean(endpoint.redactedDescription)
        #expect(endpoint.redactedDescription.contains("sig=REDACTED"))
        // Port 9 on loopback refuses connections: the transport error must be clean too.
        do {
            _ = try endpoint.stat("file.bin")
            Issue.record("stat succeeded against a closed port")
        } catch let error as FerryError {
            #expect(error.code == .network)
            #expect(error.disposition == .retry)
            expectClean(error.message)
            expectClean(error.cause ?? "")
            expectClean("\(error)")
        }
    }

    @Test func classifiedErrorsAreClean() {
        let body = Data("<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>sig=\(Self.sasSecret) bad\nRequestId:1</Message></Error>".utf8)
        let response = HTTPResponse(status: 403, headers: ["x-ms-error-code": "AuthenticationFailed"], body: body)
        let error = AzureErrorClassifier.error(for: response, operation: "reading",
                                               target: Redaction.url("http://h/a/c/b?sig=\(Self.sasSecret)"))
        expectClean(error.message)
        expectClean(error.cause ?? "")
    }
}
