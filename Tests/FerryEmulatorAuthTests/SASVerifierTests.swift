import Foundation
import Testing
@testable import FerryEmulatorAuth

/// SAS round trips through `authenticate`. The account and blob tokens are PROTOCOLS.md A9's
/// published vectors; the others are tokens azure-storage-blob 12.31.1 generated once with the dev
/// key (`generate_*_sas`, `SharedAccessSignature.generate_account`), pasted verbatim as query strings.
@Suite struct SASVerifierTests {
    let auth = AuthFixtures.authenticator
    let now = AuthFixtures.sasNow

    static let accountToken = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=rwdlacup&spr=https%2Chttp"
        + "&sv=2026-10-06&ss=b&srt=sco&sig=048K0D2U0wcZNx4NV%2BkNT%2BI9VWeayPSPe3JeLQzI6V4%3D"
    static let blobToken = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=rcw&spr=https%2Chttp"
        + "&sv=2026-10-06&sr=b&sig=mWyLndKwxEy614TaV4t9GSVApMpzNFBmPKEq/2zacyw%3D"
    /// Container SAS for `mycontainer`, `sp=rl`, no `spr`.
    static let containerToken = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=rl&sv=2026-10-06&sr=c"
        + "&sig=cCWDX/OALMGOrX3KzArKWDQ/4IP5%2BbUnVBWBQMUkVZg%3D"
    /// Account SAS `ss=b srt=o sp=r sip=10.0.0.1-10.0.0.9`.
    static let ipRangeToken = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=r&sip=10.0.0.1-10.0.0.9"
        + "&sv=2026-10-06&ss=b&srt=o&sig=tNz/cC0yVcPheUDO%2BT83t9v6XwM7bhhEuMpN6koZ1Ak%3D"

    static let blobPath = "/devstoreaccount1/mycontainer/dir/file.bin"

    func check(_ path: String, _ token: String, _ requirement: AccessRequirement, method: String = "GET",
               extraQuery: String = "", at time: Date? = nil) -> Result<Principal, AuthRejection> {
        let query = extraQuery.isEmpty ? token : extraQuery + "&" + token
        return auth.authenticate(AuthFixtures.request(method, path, query: query), requirement: requirement,
                                 publicAccess: .none, now: time ?? now)
    }

    @Test func publishedAccountSASVector() {
        #expect(check(Self.blobPath, Self.accountToken, AuthFixtures.writeBlob, method: "PUT").principal == .sas)
        #expect(check("/devstoreaccount1/mycontainer", Self.accountToken, AuthFixtures.createContainer,
                      method: "PUT", extraQuery: "restype=container").principal == .sas)
        #expect(check("/devstoreaccount1", Self.accountToken, AuthFixtures.listContainers, extraQuery: "comp=list")
            .principal == .sas)
    }

    @Test func accountStringToSignMatchesPublishedLayout() throws {
        let token = try SASToken.parse(QueryParameters(rawQuery: Self.accountToken)).get()
        #expect(SASStringToSign.account(token, accountName: "devstoreaccount1") == "devstoreaccount1\nrwdlacup\nb\nsco\n"
            + "2024-01-01T00:00:00Z\n2030-01-01T00:00:00Z\n\nhttps,http\n2026-10-06\n\n")
    }

    @Test func publishedBlobSASVector() {
        #expect(check(Self.blobPath, Self.blobToken, AuthFixtures.readBlob).principal == .sas)
        #expect(check(Self.blobPath, Self.blobToken, AuthFixtures.writeBlob, method: "PUT",
                      extraQuery: "comp=block&blockid=QUFBQQ%3D%3D").principal == .sas)
    }

    @Test func containerSASCoversItsBlobsAndListing() {
        #expect(check("/devstoreaccount1/mycontainer", Self.containerToken, AuthFixtures.listBlobs,
                      extraQuery: "restype=container&comp=list").principal == .sas)
        #expect(check("/devstoreaccount1/mycontainer/any/other.bin", Self.containerToken, AuthFixtures.readBlob)
            .principal == .sas)
        #expect(check("/devstoreaccount1/othercontainer/a.bin", Self.containerToken, AuthFixtures.readBlob)
            .rejection?.code == "AuthenticationFailed")
        #expect(check("/devstoreaccount1", Self.containerToken, AuthFixtures.listContainers, extraQuery: "comp=list")
            .rejection?.code == "AuthorizationResourceTypeMismatch")
    }

    /// Blob name with a space, a non-ASCII letter and `+`; `sip=127.0.0.1`; a response override.
    @Test func blobSASWithEncodedNameIPAndOverride() {
        let token = "st=2024-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z&sp=r&sip=127.0.0.1&sv=2026-10-06&sr=b"
            + "&rscd=attachment%3B%20filename%3Da.bin&sig=jBh%2BpHXLXFkYrZb4y4A%2BO1luYNVmxILa3ZP4P4%2BBfx0%3D"
        let path = "/devstoreaccount1/mycontainer/dir%20x/caf%C3%A9%2B1.bin"
        #expect(check(path, token, AuthFixtures.readBlob).principal == .sas)
        var elsewhere = AuthFixtures.request("GET", path, query: token)
        elsewhere.clientAddress = "192.168.1.20"
        let rejection = auth.authenticate(elsewhere, requirement: AuthFixtures.readBlob, publicAccess: .none, now: now).rejection
        #expect(rejection?.code == "AuthorizationSourceIPMismatch")
        #expect(rejection?.status == 403)
    }

    /// Requests exactly as AzCopy 10.18.1 sent them (captured by a local listener): it re-sorts the
    /// query, appends `timeout`, and leaves `+` unescaped in the path. Tokens from azure-storage-blob
    /// 12.31.1, valid 2026-11-24T22:33:56Z … 2026-11-25T00:38:56Z.
    @Test func azCopyRequestsVerify() throws {
        let during = try #require(ServiceTime.parseISO8601("2026-11-24T23:00:00Z"))
        let headers = [("User-Agent", "AzCopy/10.18.1 Azure-Storage/0.15 (go1.19.8; linux)"),
                       ("Content-Length", "8388608"), ("X-Ms-Version", "2020-10-02")]
        let putBlock = AuthFixtures.request(
            "PUT", "/devstoreaccount1/mycontainer/dir/big%20file+1.bin",
            query: "blockid=MDAwMDCz1hRbCLhOf2WQlyqyMT7xMDAwMDAwMDAwMDAwMDAw&comp=block&se=2026-11-25T00%3A38%3A56Z"
                + "&sig=UhUbQtp%2B002yAFX3%2F0%2FQWA8L%2BFZAbEoT3TjhShTc0Qs%3D&sp=racwdl&sr=c&st=2026-11-24T22%3A33%3A56Z"
                + "&sv=2026-10-06&timeout=901",
            headers: headers)
        #expect(putBlock.blob == "dir/big file+1.bin")
        #expect(auth.authenticate(putBlock, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: during)
            .principal == .sas)
        let putBlob = AuthFixtures.request(
            "PUT", "/devstoreaccount1/newcont/x%20y.txt",
            query: "se=2026-11-25T00%3A38%3A56Z&sig=KavVL4RTkLSYSZFIXWRQw6uUfsflDMJlPVonlG9NLLY%3D&sp=rwdlac&srt=sco&ss=b"
                + "&st=2026-11-24T22%3A33%3A56Z&sv=2026-10-06&timeout=901",
            headers: headers)
        #expect(auth.authenticate(putBlob, requirement: AuthFixtures.writeBlob, publicAccess: .none, now: during)
            .principal == .sas)
    }

    @Test func serviceSASForAnotherBlobIsRefused() {
        let rejection = check("/devstoreaccount1/mycontainer/dir/other.bin", Self.blobToken, AuthFixtures.readBlob).rejection
        #expect(rejection?.status == 403)
        #expect(rejection?.code == "AuthenticationFailed")
        #expect(rejection?.detail?.contains("/blob/devstoreaccount1/mycontainer/dir/other.bin") == true)
    }

    @Test func blobSASCannotListItsContainer() {
        #expect(check("/devstoreaccount1/mycontainer", Self.blobToken, AuthFixtures.listBlobs,
                      extraQuery: "restype=container&comp=list").rejection?.code == "AuthorizationResourceTypeMismatch")
    }

    @Test func tamperedSignatureIsRefused() {
        let tampered = Self.accountToken.replacingOccurrences(of: "sig=048K", with: "sig=148K")
        let rejection = check(Self.blobPath, tampered, AuthFixtures.readBlob).rejection
        #expect(rejection?.code == "AuthenticationFailed")
        #expect(rejection?.detail?.hasPrefix("Signature did not match. String to sign used was devstoreaccount1\nrwdlacup") == true)
        #expect(rejection?.detail?.contains("148K") == false)
    }

    @Test func tamperedPermissionsAreRefused() {
        let widened = Self.blobToken.replacingOccurrences(of: "sp=rcw", with: "sp=rcwd")
        #expect(check(Self.blobPath, widened, AuthFixtures.readBlob).rejection?.code == "AuthenticationFailed")
    }

    @Test func wrongKeyIsRefused() {
        let other = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.otherKey], bearerToken: nil)
        #expect(other.authenticate(AuthFixtures.request("GET", Self.blobPath, query: Self.blobToken),
                                   requirement: AuthFixtures.readBlob, publicAccess: .none, now: now)
            .rejection?.code == "AuthenticationFailed")
    }

    /// Tokens in the documented pre-2020-12-06 layouts (no `ses`; before 2018-11-09 also no `sr`
    /// and snapshot). Python 12.31 only emits the current layout, so these signatures were computed
    /// with Python's `hmac` over the layouts in Microsoft's "Create an account/service SAS" pages.
    @Test func olderVersionLayouts() {
        let account = "st=2024-01-01T00:00:00Z&se=2030-01-01T00:00:00Z&sp=rl&sv=2019-02-02&ss=b&srt=co"
            + "&sig=a3OTJE/Ou4bcqvZUS2ClAiGKU4QRy1F/EANBqEiUhpU%3D"
        #expect(check("/devstoreaccount1/mycontainer", account, AuthFixtures.listBlobs,
                      extraQuery: "restype=container&comp=list").principal == .sas)
        let blob = "st=2024-01-01T00:00:00Z&se=2030-01-01T00:00:00Z&sp=r&sv=2019-02-02&sr=b"
            + "&sig=EDGEm7BYGY4mzDJQfnKS6UKD1iLyd3Dw73EAUDpchto%3D"
        #expect(check(Self.blobPath, blob, AuthFixtures.readBlob).principal == .sas)
        let container = "st=2024-01-01&se=2030-01-01&sp=rw&sv=2017-07-29&sr=c&sig=Kee8Cm1pmOvPn99sYGhG//VgcadFjj%2BLUwWMkUsdPV0%3D"
        #expect(check(Self.blobPath, container, AuthFixtures.writeBlob, method: "PUT").principal == .sas)
    }

    /// Fractional-second `st` and minute-precision `se` are signed exactly as sent (hmac, as above).
    @Test func timeFormatsAreSignedAsSent() {
        let token = "st=2024-01-01T00:00:00.1234567Z&se=2030-01-01T12:30Z&sp=r&sv=2026-10-06&sr=c"
            + "&sig=9/gV9zzaqTwxfipLadY2WmpDv4yBn4hjsHbM6fGvlPw%3D"
        #expect(check(Self.blobPath, token, AuthFixtures.readBlob).principal == .sas)
        #expect(check(Self.blobPath, token, AuthFixtures.readBlob,
                      at: Date(timeIntervalSince1970: 1_893_501_000)).rejection?.code == "AuthenticationFailed")  // 12:30
    }
}
