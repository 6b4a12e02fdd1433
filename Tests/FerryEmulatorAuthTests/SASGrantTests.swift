import Foundation
import Testing
@testable import FerryEmulatorAuth

/// What a correctly signed SAS may still not do: its time window, protocol, services, resource
/// types, permissions, and the token forms the emulator refuses. Tokens as in `SASVerifierTests`
/// (azure-storage-blob 12.31.1 output, dev key).
@Suite struct SASGrantTests {
    let auth = AuthFixtures.authenticator
    let blobPath = SASVerifierTests.blobPath

    func rejection(_ path: String, _ token: String, _ requirement: AccessRequirement,
                   at time: Date = AuthFixtures.sasNow) -> AuthRejection? {
        auth.authenticate(AuthFixtures.request("GET", path, query: token), requirement: requirement,
                          publicAccess: .none, now: time).rejection
    }

    @Test func expiredSASIsRefused() throws {
        let atExpiry = Date(timeIntervalSince1970: 1_893_456_000)   // 2030-01-01T00:00:00Z: se is exclusive
        let refused = try #require(rejection(blobPath, SASVerifierTests.accountToken, AuthFixtures.readBlob, at: atExpiry))
        #expect(refused.status == 403)
        #expect(refused.code == "AuthenticationFailed")
        #expect(refused.detail == "Signature not valid in the specified time frame: Start [Mon, 01 Jan 2024 00:00:00 GMT] "
            + "- Expiry [Tue, 01 Jan 2030 00:00:00 GMT] - Current [Tue, 01 Jan 2030 00:00:00 GMT]")
        #expect(rejection(blobPath, SASVerifierTests.accountToken, AuthFixtures.readBlob,
                          at: atExpiry.addingTimeInterval(-1)) == nil)
    }

    @Test func notYetValidSASIsRefused() {
        let beforeStart = AuthFixtures.vectorNow.addingTimeInterval(-1)
        #expect(rejection(blobPath, SASVerifierTests.blobToken, AuthFixtures.readBlob, at: beforeStart)?.code
            == "AuthenticationFailed")
        #expect(rejection(blobPath, SASVerifierTests.blobToken, AuthFixtures.readBlob, at: AuthFixtures.vectorNow) == nil)
    }

    /// `st=2030-01-01`, `se=2024-01-01`, correctly signed.
    @Test func expiryBeforeStartIsRefused() {
        let backwards = "st=2030-01-01T00%3A00%3A00Z&se=2024-01-01T00%3A00%3A00Z&sp=r&sv=2026-10-06&ss=b&srt=o"
            + "&sig=KnYnT/s0DVHJQPbaOhnvC4QfGx0K77M6NxuDYBXNDUY%3D"
        let refused = rejection(blobPath, backwards, AuthFixtures.readBlob)
        #expect(refused?.code == "AuthenticationFailed")
        #expect(refused?.detail == "Signed expiry time [Mon, 01 Jan 2024 00:00:00 GMT] must be after signed start time "
            + "[Tue, 01 Jan 2030 00:00:00 GMT]")
    }

    @Test func readOnlySASCannotWrite() {
        let refused = rejection(blobPath, SASVerifierTests.containerToken, AuthFixtures.writeBlob)
        #expect(refused?.status == 403)
        #expect(refused?.code == "AuthorizationPermissionMismatch")
        #expect(rejection(blobPath, SASVerifierTests.ipRangeToken.replacingOccurrences(of: "sip=10.0.0.1-10.0.0.9&", with: ""),
                          AuthFixtures.writeBlob)?.code == "AuthenticationFailed")   // removing a signed field breaks it
    }

    @Test func blobSASWithoutListCannotDeleteOrList() {
        let delete = AccessRequirement(anyOf: ["d"], level: .object)
        #expect(rejection(blobPath, SASVerifierTests.blobToken, delete)?.code == "AuthorizationPermissionMismatch")
    }

    @Test func resourceTypeMustCoverTheLevel() {
        var request = AuthFixtures.request("GET", "/devstoreaccount1/mycontainer",
                                           query: "restype=container&comp=list&" + SASVerifierTests.ipRangeToken)
        request.clientAddress = "10.0.0.5"
        let refused = auth.authenticate(request, requirement: AuthFixtures.listBlobs, publicAccess: .none,
                                        now: AuthFixtures.sasNow).rejection
        #expect(refused?.code == "AuthorizationResourceTypeMismatch")
    }

    /// `ss=qt srt=o sp=r`: queue and table only.
    @Test func servicesMustIncludeBlob() {
        let queueTable = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=r&sv=2026-10-06&ss=qt&srt=o"
            + "&sig=pg4y/qxaOEy/WyV/86PmbDcyYPOUplCt4/xvE4V8xWo%3D"
        let refused = rejection(blobPath, queueTable, AuthFixtures.readBlob)
        #expect(refused?.status == 403)
        #expect(refused?.code == "AuthorizationServiceMismatch")
    }

    @Test func httpsOnlySASIsRefusedOverHTTP() {
        let httpsOnly = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=r&spr=https&sv=2026-10-06&ss=b&srt=o"
            + "&sig=1nQX7a75oIPF8skO86P2Daabstd7z8g4etoTYVGRdMA%3D"
        #expect(rejection(blobPath, httpsOnly, AuthFixtures.readBlob)?.code == "AuthorizationProtocolMismatch")
        var overTLS = AuthFixtures.request("GET", blobPath, query: httpsOnly)
        overTLS.isHTTPS = true
        #expect(auth.authenticate(overTLS, requirement: AuthFixtures.readBlob, publicAccess: .none,
                                  now: AuthFixtures.sasNow).principal == .sas)
    }

    @Test func sourceAddressRange() {
        for (address, allowed) in [("10.0.0.1", true), ("10.0.0.9", true), ("::ffff:10.0.0.4", true),
                                   ("10.0.0.10", false), ("127.0.0.1", false)] {
            var request = AuthFixtures.request("GET", blobPath, query: SASVerifierTests.ipRangeToken)
            request.clientAddress = address
            let result = auth.authenticate(request, requirement: AuthFixtures.readBlob, publicAccess: .none,
                                           now: AuthFixtures.sasNow)
            #expect((result.principal == .sas) == allowed, "client \(address)")
            if !allowed { #expect(result.rejection?.code == "AuthorizationSourceIPMismatch") }
        }
    }

    @Test func unsupportedTokenFormsAreRefusedClearly() {
        let cases = [
            ("sv=2026-10-06&sr=c&si=policy1&sig=AAAA", "Stored access policies"),
            ("sv=2026-10-06&sr=b&sp=r&se=2030-01-01&skoid=x&sktid=y&sig=AAAA", "User delegation"),
            ("sv=2026-10-06&sr=bs&sp=r&se=2030-01-01&sig=AAAA", "sr='bs'"),
            ("sr=b&sp=r&se=2030-01-01&sig=AAAA", "sv is mandatory"),
            ("sv=2026-10-06&sp=r&se=2030-01-01&sig=AAAA", "neither a signed resource"),
            ("sv=2026-10-06&ss=b&srt=o&se=2030-01-01&sig=AAAA", "sp is mandatory"),
            ("sv=2026-10-06&ss=b&srt=o&sp=r&sig=AAAA", "se is mandatory"),
            ("sv=2013-08-15&sr=b&sp=r&se=2030-01-01&sig=AAAA", "older than 2015-04-05"),
        ]
        for (token, expected) in cases {
            let refused = rejection(blobPath, token, AuthFixtures.readBlob)
            #expect(refused?.status == 403, "\(token)")
            #expect(refused?.code == "AuthenticationFailed", "\(token)")
            #expect(refused?.detail?.contains(expected) == true, "\(token): \(refused?.detail ?? "")")
        }
    }
}
