import Testing
@testable import FerryEmulatorAuth
@Suite struct AuthSkeletonTests {
    @Test func authenticatorKeepsAccount() {
        #expect(RequestAuthenticator(accountName: "a", keys: [], bearerToken: nil).accountName == "a")
    }
}
