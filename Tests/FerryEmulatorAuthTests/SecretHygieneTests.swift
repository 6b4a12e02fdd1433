import Foundation
import Testing
@testable import FerryEmulatorAuth

/// Plants every kind of secret the authenticator handles and searches every refusal for it
/// (STYLE.md: secrets never appear in errors). The Shared Key request MAC is deliberately
/// echoed, as the service does, and is not planted here.
@Suite struct SecretHygieneTests {
    static let configuredToken = "PLANTED-CONFIGURED-BEARER"
    let auth = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.key], bearerToken: configuredToken)
    let planted = [configuredToken, "PLANTED-PRESENTED-BEARER", "PLANTEDSASSIG", AuthFixtures.keyBase64]
    let path = "/devstoreaccount1/mycontainer/dir/file.bin"

    var refusedRequests: [ReceivedRequest] {
        let sasForms = [
            "sv=2026-10-06&ss=b&srt=o&sp=r&se=2030-01-01&sig=PLANTEDSASSIG",                 // bad signature
            "sv=2026-10-06&sr=b&sp=r&se=2030-01-01&si=p&sig=PLANTEDSASSIG",                  // unsupported si
            "sv=2026-10-06&sr=b&sp=r&se=2030-01-01&sip=10.9.9.9&sig=PLANTEDSASSIG",          // bad signature + ip
            SASVerifierTests.blobToken.replacingOccurrences(of: "sig=", with: "sig=PLANTEDSASSIG"),
        ]
        var requests = sasForms.map { AuthFixtures.request("GET", path, query: $0) }
        requests.append(AuthFixtures.request("GET", path, headers: [("Authorization", "Bearer PLANTED-PRESENTED-BEARER")]))
        requests.append(AuthFixtures.request("GET", path, headers: [("Authorization", "PLANTED-PRESENTED-BEARER")]))
        requests.append(AuthFixtures.request("PUT", path, query: "sig=PLANTEDSASSIG", headers: AuthFixtures.signedHeaders(
            "AAAA", [("x-ms-copy-source", "http://127.0.0.1/devstoreaccount1/c/b?sig=PLANTEDSASSIG"),
                     ("x-ms-copy-source-authorization", "Bearer PLANTED-PRESENTED-BEARER")])))
        requests.append(AuthFixtures.request("GET", path))   // anonymous
        return requests
    }

    @Test func noRefusalCarriesASecret() {
        for request in refusedRequests {
            let rejection = auth.authenticate(request, requirement: AuthFixtures.readBlob, publicAccess: .none,
                                              now: AuthFixtures.vectorNow).rejection
            #expect(rejection != nil, "\(request.rawQuery)")
            let text = [rejection?.message, rejection?.detail, rejection?.wwwAuthenticate, rejection?.code]
                .compactMap { $0 }.joined(separator: "\n")
            for secret in planted {
                #expect(!text.contains(secret), "\(secret) leaked for \(request.method) ?\(request.rawQuery)")
            }
        }
    }
}
