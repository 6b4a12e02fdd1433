import Foundation
import Testing
@testable import FerryEmulatorAuth

/// Shared Key round trips through `authenticate`. The first three signatures are PROTOCOLS.md A9's
/// published vectors; the others were produced once by azure-storage-blob 12.31.1's own
/// `SharedKeyCredentialPolicy` (dev key, same date and version) and pasted here as vectors.
@Suite struct SharedKeyVerifierTests {
    let auth = AuthFixtures.authenticator
    let now = AuthFixtures.vectorNow

    static let createContainer = AuthFixtures.request(
        "PUT", "/devstoreaccount1/mycontainer", query: "restype=container",
        headers: AuthFixtures.signedHeaders("8vHanKaDhMfB+hnQ45Ja7mf/YJU4fILiKGDYSO1qTOE=", [("Content-Length", "0")]))

    @Test func publishedCreateContainerVector() {
        let result = auth.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                       publicAccess: .none, now: now)
        #expect(result.principal == .sharedKey)
    }

    @Test func publishedPutBlockVector() {
        let request = AuthFixtures.request(
            "PUT", "/devstoreaccount1/mycontainer/dir/file.bin", query: "comp=block&blockid=QUFBQQ%3D%3D",
            headers: AuthFixtures.signedHeaders("abHNIzNkX68118F5UOzVEscWcTC+OIyxAsxzSvT8MOs=",
                                                [("Content-Length", "4"), ("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A==")]))
        #expect(auth.authenticate(request, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: now)
            .principal == .sharedKey)
    }

    @Test func publishedListBlobsVector() {
        let request = AuthFixtures.request(
            "GET", "/devstoreaccount1/mycontainer", query: "restype=container&comp=list&prefix=dir%2F&include=metadata",
            headers: AuthFixtures.signedHeaders("XicJ1miuaNinbnUgN5QOKGMqFgbw/zpoahr8fnnsYE4="))
        #expect(auth.authenticate(request, requirement: AuthFixtures.listBlobs, publicAccess: .none, now: now)
            .principal == .sharedKey)
    }

    @Test func stringToSignMatchesPublishedLayout() {
        let built = SharedKeyStringToSign(accountName: "devstoreaccount1").build(for: Self.createContainer, headerOrder: .ordinal)
        #expect(built == "PUT" + String(repeating: "\n", count: 12)
            + "x-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2021-08-06\n"
            + "/devstoreaccount1/devstoreaccount1/mycontainer\nrestype:container")
    }

    /// Python sorts `x-ms-meta-a_b` before `x-ms-meta-a1` (service collation); ordinal puts it after.
    @Test func pythonCollationOrderIsAcceptedOnRetry() {
        let request = AuthFixtures.request(
            "PUT", "/devstoreaccount1/mycontainer/b.txt", query: "comp=metadata",
            headers: AuthFixtures.signedHeaders("uDocGVFxxaFflridMxfKU9q/4As2Z4CAXuKbqnLQp0o=",
                                                [("Content-Length", "0"), ("x-ms-meta-a1", "one"), ("x-ms-meta-a_b", "two")]))
        let builder = SharedKeyStringToSign(accountName: "devstoreaccount1")
        #expect(builder.build(for: request, headerOrder: .ordinal) != builder.build(for: request, headerOrder: .serviceCollation))
        #expect(auth.authenticate(request, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: now)
            .principal == .sharedKey)
    }

    /// The canonicalized resource keeps the path exactly as sent (`%20`, UTF-8 escapes, `%2B`).
    @Test func encodedPathIsSignedRaw() {
        let request = AuthFixtures.request(
            "PUT", "/devstoreaccount1/mycontainer/dir%20x/caf%C3%A9%2B1.bin",
            headers: AuthFixtures.signedHeaders("omBsV1AsASo+naHQzFoB9R15ux5gFp4OyYcJrIgqbQU=", [
                ("Content-Length", "11"), ("x-ms-blob-type", "BlockBlob"),
                ("Content-Type", "application/octet-stream"), ("X-MS-Meta-Key", "a b"),
            ]))
        #expect(request.blob == "dir x/café+1.bin")
        #expect(auth.authenticate(request, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: now)
            .principal == .sharedKey)
    }

    /// A Set Metadata request exactly as azure-storage-blob 12.31.1 put it on the wire (captured by a
    /// local listener): the SDK signs `v  with  spaces` and the tab as sent, so the documented
    /// whitespace collapse alone would refuse it.
    @Test func innerWhitespaceSignedAsSentIsAccepted() throws {
        let request = AuthFixtures.request(
            "PUT", "/devstoreaccount1/mycontainer/dir%20x/caf%C3%A9%2B1%20%28copy%29%232.bin", query: "comp=metadata",
            headers: [
                ("Host", "127.0.0.1:35725"), ("User-Agent", "azsdk-python-storage-blob/12.31.1 Python/3.11.7"),
                ("Accept-Encoding", "gzip, deflate"), ("Accept", "application/xml"), ("Connection", "keep-alive"),
                ("x-ms-meta-k_1", "v  with  spaces"), ("x-ms-meta-k2", "tab\there"), ("x-ms-version", "2026-10-06"),
                ("x-ms-date", "Tue, 24 Nov 2026 22:36:37 GMT"),
                ("x-ms-client-request-id", "827ed258-e857-11f1-8c66-02fc00000001"),
                ("Authorization", "SharedKey devstoreaccount1:Q0sfgeCnR47qTyuTh8vj/h5KxX208S9twfkc0qazXP4="),
                ("Content-Length", "0"),
            ])
        #expect(request.blob == "dir x/café+1 (copy)#2.bin")
        let signedAt = try #require(ServiceTime.parseRFC1123("Tue, 24 Nov 2026 22:36:37 GMT"))
        #expect(auth.authenticate(request, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: signedAt)
            .principal == .sharedKey)
        let builder = SharedKeyStringToSign(accountName: "devstoreaccount1")
        #expect(builder.build(for: request, headerOrder: .ordinal).contains("x-ms-meta-k_1:v with spaces\n"))
        #expect(builder.build(for: request, headerOrder: .ordinal, values: .trimmed).contains("x-ms-meta-k_1:v  with  spaces\n"))
    }

    @Test func tamperedSignatureIsRefusedWithTheServerStringToSign() throws {
        var request = Self.createContainer
        request.headers[request.headers.count - 1].value = "SharedKey devstoreaccount1:9vHanKaDhMfB+hnQ45Ja7mf/YJU4fILiKGDYSO1qTOE="
        let rejection = try #require(auth.authenticate(request, requirement: AuthFixtures.createContainer,
                                                       publicAccess: .none, now: now).rejection)
        #expect(rejection.status == 403)
        #expect(rejection.code == "AuthenticationFailed")
        let detail = try #require(rejection.detail)
        #expect(detail.hasPrefix("The MAC signature found in the HTTP request '9vHanKaDhMfB"))
        #expect(detail.contains("is not the same as any computed signature. Server used following string to sign: 'PUT\n"))
        #expect(detail.hasSuffix("/devstoreaccount1/devstoreaccount1/mycontainer\nrestype:container'."))
    }

    @Test func tamperedRequestIsRefused() {
        var request = Self.createContainer
        request.rawQuery = "restype=container&comp=metadata"
        #expect(auth.authenticate(request, requirement: AuthFixtures.createContainer, publicAccess: .none, now: now)
            .rejection?.code == "AuthenticationFailed")
    }

    @Test func wrongKeyIsRefusedAndSecondKeyIsTried() {
        let wrongKey = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.otherKey], bearerToken: nil)
        #expect(wrongKey.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                      publicAccess: .none, now: now).rejection?.code == "AuthenticationFailed")
        let keyTwo = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.otherKey, AuthFixtures.key],
                                          bearerToken: nil)
        #expect(keyTwo.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                    publicAccess: .none, now: now).principal == .sharedKey)
    }

    @Test func wrongAccountNameIsRefused() {
        let other = RequestAuthenticator(accountName: "otheraccount", keys: [AuthFixtures.key], bearerToken: nil)
        let rejection = other.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                           publicAccess: .none, now: now).rejection
        #expect(rejection?.status == 403)
        #expect(rejection?.code == "AuthenticationFailed")
        #expect(rejection?.detail?.contains("devstoreaccount1") == true)
    }

    @Test func staleOrFutureDateIsRefused() {
        let sixteenMinutes: TimeInterval = 16 * 60
        for offset in [sixteenMinutes, -sixteenMinutes] {
            let result = auth.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                           publicAccess: .none, now: now.addingTimeInterval(offset))
            #expect(result.rejection?.code == "AuthenticationFailed")
            #expect(result.rejection?.detail?.contains("Request date header") == true)
        }
        #expect(auth.authenticate(Self.createContainer, requirement: AuthFixtures.createContainer,
                                  publicAccess: .none, now: now.addingTimeInterval(14 * 60)).principal == .sharedKey)
    }

    @Test func missingDateIsRefused() {
        var request = Self.createContainer
        request.headers.removeAll { $0.name == "x-ms-date" }
        let rejection = auth.authenticate(request, requirement: AuthFixtures.createContainer, publicAccess: .none, now: now)
            .rejection
        #expect(rejection?.code == "AuthenticationFailed")
        #expect(rejection?.detail?.contains("x-ms-date") == true)
    }

    @Test func unknownSchemeIsRefusedWithoutEchoingTheValue() {
        for value in ["SharedKeyLite devstoreaccount1:abc=", "PLANTED-BARE-TOKEN-SECRET"] {
            var request = Self.createContainer
            request.headers[request.headers.count - 1].value = value
            let rejection = auth.authenticate(request, requirement: AuthFixtures.createContainer, publicAccess: .none, now: now)
                .rejection
            #expect(rejection?.code == "AuthenticationFailed")
            #expect(rejection?.detail?.contains("PLANTED") == false)
        }
    }

    /// A copy source's SAS and source credentials are signed headers; the echoed string must not carry them.
    @Test func mismatchDetailRedactsSecretsInSignedHeaders() throws {
        let request = AuthFixtures.request("PUT", "/devstoreaccount1/mycontainer/copy.bin", headers: AuthFixtures.signedHeaders(
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", [
                ("x-ms-copy-source", "http://127.0.0.1:10000/devstoreaccount1/c/b?sv=2026-10-06&sig=PLANTED-SAS-SECRET&sp=r"),
                ("x-ms-copy-source-authorization", "Bearer PLANTED-TOKEN-SECRET"),
                ("x-ms-encryption-key", "PLANTED-KEY-SECRET"),
            ]))
        let detail = try #require(auth.authenticate(request, requirement: AuthFixtures.writeBlob,
                                                    publicAccess: .none, now: now).rejection?.detail)
        #expect(!detail.contains("PLANTED"))
        #expect(detail.contains("x-ms-copy-source:http://127.0.0.1:10000/devstoreaccount1/c/b?sv=2026-10-06&sig=<redacted>&sp=r"))
        #expect(detail.contains("x-ms-copy-source-authorization:<redacted>"))
    }
}
