import Foundation
import Testing
@testable import FerryEmulatorAuth

/// The issuer's token endpoint, its assertions and managed identity, and the blob service's
/// checks of the tokens (signature, audience, issuer, lifetime, roles). No network: the issuer is
/// called as the server calls it.
@Suite struct EntraIssuerTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func principalsFileParsesRolesScopesAndCertificates() throws {
        let directory = try EntraFixtures.directory()
        #expect(directory.tokenLifetimeSeconds == 600 && directory.clockSkewSeconds == 60)
        let writer = try #require(directory.principal(clientID: "C-WRITER"))
        #expect(writer.roleAssignments == [RoleAssignment(role: .contributor, scope: .container("models"))])
        #expect(writer.certificate != nil)
        let trainer = try #require(directory.principal(objectID: "o-trainer"))
        #expect(trainer.isManagedIdentity && trainer.federatedCredentials.first?.audience == "api://AzureADTokenExchange")
        var withHeader = directory
        withHeader.identityHeader = "header-value-9"
        let printed = String(describing: withHeader) + String(reflecting: withHeader)
        #expect(printed.range(of: "secret") == nil && printed.range(of: "header-value-9") == nil)
        for bad in [#"{"principals": []}"#, #"{"tenantId": "t", "principals": [{"clientId": "c"}]}"#,
                    #"{"tenantId": "t", "principals": [{"clientId": "c", "objectId": "o", "roles": [{"role": "Owner"}]}]}"#,
                    #"{"tenantId": "t", "principals": [{"clientId": "c", "objectId": "o", "roles": [{"role": "Storage Blob Data Reader", "scope": "x/y"}]}]}"#] {
            #expect(throws: EntraDirectory.ParseError.self) { try EntraDirectory.parse(Data(bad.utf8), relativeTo: "/") }
        }
    }

    @Test func discoveryNamesTheTokenEndpointUnderTheTenant() throws {
        let issuer = try EntraFixtures.issuer()
        let answer = issuer.openIDConfiguration(tenant: EntraFixtures.tenant, baseURL: "https://127.0.0.1:10000")
        #expect(answer.status == 200 && answer.body.contains("\"token_endpoint\":\"\(EntraFixtures.tokenEndpoint)\""))
        #expect(issuer.openIDConfiguration(tenant: "other", baseURL: "https://x").status == 400)
        #expect(issuer.keys(tenant: EntraFixtures.tenant).body.contains(issuer.signingKey.keyID))
    }

    @Test func secretSignInGivesATokenTheServiceAccepts() throws {
        let issuer = try EntraFixtures.issuer()
        let answer = issuer.token(tenant: EntraFixtures.tenant, formBody: EntraFixtures.secretRequest("c-reader", "reader-secret"),
                                  tokenEndpoint: EntraFixtures.tokenEndpoint, now: now)
        let token = try #require(EntraFixtures.accessToken(answer))
        #expect(answer.body.contains("\"expires_in\":600"))
        #expect(answer.issued?.flow == "client_secret" && issued(issuer).count == 1)
        let logLine = try #require(answer.issued?.logLine)
        #expect(logLine.hasPrefix("issued a token to reader") && logLine.range(of: token) == nil)
        let jwt = try #require(JSONWebToken(compact: token))
        #expect(jwt.string("iss") == "https://sts.windows.net/\(EntraFixtures.tenant)/")
        #expect(jwt.audiences == ["https://storage.azure.com"] && jwt.string("oid") == "o-reader" && jwt.string("appid") == "c-reader")
        guard case .principal(let principal) = issuer.validate(bearer: token, now: now) else {
            Issue.record("the token was not accepted")
            return
        }
        #expect(principal.objectID == "o-reader")
    }

    @Test func wrongSecretsUnknownClientsAndScopesAreRefusedAsEntraDoes() throws {
        let issuer = try EntraFixtures.issuer()
        func ask(_ form: String, tenant: String = EntraFixtures.tenant) -> EntraAnswer {
            issuer.token(tenant: tenant, formBody: form, tokenEndpoint: EntraFixtures.tokenEndpoint, now: now)
        }
        let wrong = ask(EntraFixtures.secretRequest("c-reader", "guess"))
        #expect(wrong.status == 401 && EntraFixtures.errorCode(wrong) == "invalid_client" && wrong.body.contains("AADSTS7000215"))
        #expect(!wrong.body.contains("guess") && !wrong.body.contains("reader-secret"))
        #expect(ask(EntraFixtures.secretRequest("c-trainer", "anything")).body.contains("AADSTS7000215"))  // has no secret
        let unknown = ask(EntraFixtures.secretRequest("c-nobody", "x"))
        #expect(unknown.status == 400 && EntraFixtures.errorCode(unknown) == "unauthorized_client")
        #expect(ask(EntraFixtures.secretRequest("c-reader", "reader-secret"), tenant: "other").body.contains("AADSTS90002"))
        #expect(EntraFixtures.errorCode(ask(EntraFixtures.secretRequest("c-reader", "reader-secret", scope: "https://vault.azure.net/.default")))
                == "invalid_resource")
        #expect(EntraFixtures.errorCode(ask(EntraFixtures.form([("client_id", "c-reader"), ("grant_type", "password")])))
                == "unsupported_grant_type")
        #expect(issued(issuer).isEmpty)
    }

    @Test func certificateAssertionsAreCheckedBySignatureThumbprintAndAudience() throws {
        let issuer = try EntraFixtures.issuer()
        let key = try RSASigningKey(privateKeyPEM: EntraFixtures.privateKeyPEM)
        let certificate = try RSAPublicKey(certificatePEM: EntraFixtures.certificatePEM)
        func assertion(audience: String = EntraFixtures.tokenEndpoint, subject: String = "c-writer",
                       thumbprint: Data? = nil, signer: RSASigningKey? = nil) throws -> String {
            let claims: [String: Any] = ["aud": audience, "iss": subject, "sub": subject, "jti": UUID().uuidString,
                                         "iat": now.timeIntervalSince1970 + 0.25, "exp": now.timeIntervalSince1970 + 600.25]
            return try JSONWebToken.sign(claims: claims, key: signer ?? key,
                                         extraHeader: ["x5t": Base64URL.encode(thumbprint ?? certificate.sha1Thumbprint)])
        }
        func exchange(_ text: String) -> EntraAnswer {
            let form = EntraFixtures.form([("client_id", "c-writer"), ("grant_type", "client_credentials"),
                                           ("client_assertion_type", EntraIssuer.assertionType), ("client_assertion", text),
                                           ("scope", "https://storage.azure.com/.default")])
            return issuer.token(tenant: EntraFixtures.tenant, formBody: form, tokenEndpoint: EntraFixtures.tokenEndpoint, now: now)
        }
        let good = exchange(try assertion())
        #expect(EntraFixtures.accessToken(good) != nil && good.issued?.flow == "certificate")
        #expect(exchange(try assertion(signer: try RSASigningKey())).body.contains("AADSTS700027"))
        #expect(exchange(try assertion(thumbprint: Data(repeating: 1, count: 20))).body.contains("AADSTS700027"))
        #expect(exchange(try assertion(audience: "https://login.microsoftonline.com/x/oauth2/v2.0/token")).body.contains("AADSTS700023"))
        #expect(exchange(try assertion(subject: "c-reader")).body.contains("AADSTS700021"))
    }

    @Test func federatedTokensAreExchangedOnlyForTheirSubject() throws {
        let issuer = try EntraFixtures.issuer()
        func exchange(_ text: String) -> EntraAnswer {
            let form = EntraFixtures.form([("client_assertion", text), ("client_assertion_type", EntraIssuer.assertionType),
                                           ("client_id", "c-trainer"), ("grant_type", "client_credentials"),
                                           ("scope", "https://storage.azure.com/.default")])
            return issuer.token(tenant: EntraFixtures.tenant, formBody: form, tokenEndpoint: EntraFixtures.tokenEndpoint, now: now)
        }
        let minted = try #require(issuer.mintFederatedToken(issuer: "https://oidc.test/cluster", subject: "system:serviceaccount:ml:trainer",
                                                           audience: nil, lifetimeSeconds: 3600, now: now))
        #expect(exchange(minted.token).issued?.flow == "federated")
        let stranger = try #require(issuer.mintFederatedToken(issuer: "https://oidc.test/cluster", subject: "system:serviceaccount:ml:other",
                                                             audience: nil, lifetimeSeconds: 3600, now: now))
        #expect(exchange(stranger.token).body.contains("AADSTS70021"))
        let old = try #require(issuer.mintFederatedToken(issuer: "https://oidc.test/cluster", subject: "system:serviceaccount:ml:trainer",
                                                        audience: nil, lifetimeSeconds: 60, now: now.addingTimeInterval(-3600)))
        #expect(exchange(old.token).body.contains("AADSTS700024"))
    }

    @Test func managedIdentityAnswersBothProtocols() throws {
        var directory = try EntraFixtures.directory()
        directory.identityHeader = "header-1"
        let issuer = try EntraIssuer(directory: directory, accountName: "devstoreaccount1")
        let query = ["api-version": "2019-08-01", "resource": "https://storage.azure.com"]
        let appService = issuer.managedIdentityToken(.appService, query: query, header: { $0 == "X-IDENTITY-HEADER" ? "header-1" : nil }, now: now)
        #expect(EntraFixtures.accessToken(appService) != nil && appService.body.contains("\"expires_on\":\"1800000600\""))
        #expect(issuer.managedIdentityToken(.appService, query: query, header: { _ in "wrong" }, now: now).status == 401)
        let imds = issuer.managedIdentityToken(.imds, query: query, header: { $0 == "Metadata" ? "true" : nil }, now: now)
        #expect(imds.body.contains("\"expires_in\":\"600\"") && imds.issued?.objectID == "o-trainer")
        #expect(issuer.managedIdentityToken(.imds, query: query, header: { _ in nil }, now: now).status == 400)
        #expect(issuer.managedIdentityToken(.imds, query: query.merging(["client_id": "c-reader"]) { $1 },
                                            header: { _ in "true" }, now: now).status == 400)
    }

    private func issued(_ issuer: EntraIssuer) -> [IssuedToken] { issuer.issuedTokens }
}
