import Testing
@testable import FerryEmulator

/// The issuer's paths share the port with the blob service: the account's own paths always stay
/// the blob service's, even for a container named `oauth2` or `metadata`.
@Suite struct IdentityRouteTests {
    let account = "devstoreaccount1"

    @Test func issuerAndManagedIdentityPathsAreRecognised() {
        #expect(IdentityRoute.match(method: "GET", rawPath: "/t1/v2.0/.well-known/openid-configuration", account: account)
                == .openIDConfiguration(tenant: "t1"))
        #expect(IdentityRoute.match(method: "GET", rawPath: "/t1/discovery/v2.0/keys", account: account) == .keys(tenant: "t1"))
        #expect(IdentityRoute.match(method: "POST", rawPath: "/t1/oauth2/v2.0/token", account: account) == .token(tenant: "t1"))
        #expect(IdentityRoute.match(method: "GET", rawPath: "/msi/token", account: account) == .appServiceManagedIdentity)
        #expect(IdentityRoute.match(method: "GET", rawPath: "/metadata/identity/oauth2/token/", account: account) == .imdsManagedIdentity)
    }

    @Test func theAccountsOwnPathsStayTheBlobServices() {
        #expect(IdentityRoute.match(method: "POST", rawPath: "/devstoreaccount1/oauth2/v2.0/token", account: account) == nil)
        #expect(IdentityRoute.match(method: "GET", rawPath: "/metadata/identity/oauth2/token", account: "metadata") == nil)
        #expect(IdentityRoute.match(method: "GET", rawPath: "/t1/oauth2/v2.0/token", account: account) == nil)
        #expect(IdentityRoute.match(method: "PUT", rawPath: "/msi/token", account: account) == nil)
    }
}
