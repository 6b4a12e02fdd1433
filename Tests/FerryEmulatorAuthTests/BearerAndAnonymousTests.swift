import Foundation
import Testing
@testable import FerryEmulatorAuth

@Suite struct BearerAndAnonymousTests {
    static let token = "local-test-token-7f3a"
    let withToken = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.key], bearerToken: token)
    let blobPath = "/devstoreaccount1/mycontainer/dir/file.bin"

    func bearer(_ authenticator: RequestAuthenticator, _ value: String,
                publicAccess: PublicAccess = .none) -> Result<Principal, AuthRejection> {
        let request = AuthFixtures.request("GET", blobPath, headers: [("x-ms-version", "2021-08-06"), ("Authorization", value)])
        return authenticator.authenticate(request, requirement: AuthFixtures.readBlob, publicAccess: publicAccess)
    }

    @Test func rightBearerTokenIsAccepted() {
        #expect(bearer(withToken, "Bearer \(Self.token)").principal == .bearer)
    }

    @Test func wrongOrUnsetBearerTokenGetsTheChallenge() throws {
        for (authenticator, value) in [(withToken, "Bearer wrong-token"), (withToken, "Bearer \(Self.token)x"),
                                       (withToken, "Bearer "), (AuthFixtures.authenticator, "Bearer \(Self.token)")] {
            let refused = try #require(bearer(authenticator, value).rejection)
            #expect(refused.status == 401)
            #expect(refused.code == "InvalidAuthenticationInfo")
            #expect(refused.wwwAuthenticate == "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize "
                + "resource_id=https://storage.azure.com")
            #expect(!(refused.detail ?? "").contains(Self.token))
            #expect(!refused.message.contains(Self.token))
        }
    }

    @Test func anonymousAccessFollowsPublicAccessLevel() {
        let read = AuthFixtures.request("GET", blobPath)
        let list = AuthFixtures.request("GET", "/devstoreaccount1/mycontainer", query: "restype=container&comp=list")
        let write = AuthFixtures.request("PUT", blobPath)
        let auth = AuthFixtures.authenticator
        let cases: [(ReceivedRequest, AccessRequirement, PublicAccess, Bool)] = [
            (read, AuthFixtures.readBlob, .container, true),
            (list, AuthFixtures.listBlobs, .container, true),
            (read, AuthFixtures.readBlob, .blob, true),
            (list, AuthFixtures.listBlobs, .blob, false),
            (read, AuthFixtures.readBlob, .none, false),
            (list, AuthFixtures.listBlobs, .none, false),
            (write, AuthFixtures.writeBlob, .container, false),
            (write, AuthFixtures.writeBlob, .blob, false),
        ]
        for (request, requirement, access, allowed) in cases {
            let result = auth.authenticate(request, requirement: requirement, publicAccess: access)
            #expect((result.principal == .anonymous) == allowed, "\(request.method) \(request.rawPath) with \(access)")
            if !allowed {
                #expect(result.rejection?.status == 401)
                #expect(result.rejection?.code == "NoAuthenticationInformation")
            }
        }
    }

    /// A signed request to a public container is still checked: a bad signature is not waved through.
    @Test func badCredentialsAreNotDowngradedToAnonymous() {
        let badSAS = AuthFixtures.request("GET", blobPath, query: SASVerifierTests.blobToken.replacingOccurrences(of: "sp=rcw", with: "sp=r"))
        #expect(AuthFixtures.authenticator.authenticate(badSAS, requirement: AuthFixtures.readBlob, publicAccess: .container,
                                                        now: AuthFixtures.sasNow).rejection?.code == "AuthenticationFailed")
        #expect(bearer(withToken, "Bearer nope", publicAccess: .container).rejection?.status == 401)
    }
}
