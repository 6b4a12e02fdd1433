import Foundation
import Testing
@testable import FerryHTTP

/// TLS verification stays on: an untrusted certificate fails (and is not retryable); the same
/// server is reachable once its certificate is trusted through `caBundlePath`.
@Suite struct HTTPClientTLSTests {
    @Test func untrustedCertificateIsRefused() throws {
        try withTLSServer { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1, connectTimeoutSeconds: 10))
            do {
                _ = try client.perform(HTTPRequest(method: "GET", url: server.url))
                Issue.record("a self-signed certificate was accepted")
            } catch let error as HTTPError {
                #expect(error.curlCode == 60)   // CURLE_PEER_FAILED_VERIFICATION
                #expect(!error.isRetryable)
            }
        }
    }

    @Test func trustedCertificateWorks() throws {
        try withTLSServer { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1, connectTimeoutSeconds: 10,
                                                         caBundlePath: server.certificatePath))
            let response = try client.perform(HTTPRequest(method: "GET", url: server.url),
                                              destination: .collect(maxBytes: 1 << 20))
            #expect(response.status == 200)
            #expect(!response.body.isEmpty)
        }
    }
}
