import Foundation
import Testing
@testable import FerryEmulatorAuth

/// The blob service's side of Entra ID: which tokens it accepts (signature, audience, lifetime
/// with the directory's skew) and what each role may do where (RequestAuthenticator end to end).
@Suite struct EntraRoleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func token(_ issuer: EntraIssuer, _ clientID: String, at time: Date? = nil) throws -> String {
        let principal = try #require(issuer.directory.principal(clientID: clientID))
        return try #require(issuer.adminToken(for: principal, now: time ?? now)).token
    }

    func decide(_ authenticator: RequestAuthenticator, _ method: String, _ path: String, query: String = "",
                token: String, requirement: AccessRequirement, at time: Date? = nil) -> Result<Principal, AuthRejection> {
        let request = AuthFixtures.request(method, path, query: query, headers: [("Authorization", "Bearer \(token)"),
                                                                               ("Host", "127.0.0.1:10000")])
        return authenticator.authenticate(request, requirement: requirement, publicAccess: .none, now: time ?? now)
    }

    @Test func rolesAllowWhatTheyGrantOnTheirScope() throws {
        let issuer = try EntraFixtures.issuer()
        let authenticator = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.key], bearerToken: nil, entra: issuer)
        let read = AccessRequirement(anyOf: ["r"], level: .object, dataAction: .blobsRead)
        let write = AccessRequirement(anyOf: ["w"], level: .object, dataAction: .blobsWrite)
        let listContainers = AccessRequirement(anyOf: ["l"], level: .service, dataAction: .containersRead)
        let reader = try token(issuer, "c-reader")
        let writer = try token(issuer, "c-writer")
        let owner = try token(issuer, "c-trainer")
        #expect(decide(authenticator, "GET", "/devstoreaccount1/models/a.bin", token: reader, requirement: read).principal
                == .entra(objectID: "o-reader"))
        let denied = try #require(decide(authenticator, "PUT", "/devstoreaccount1/models/a.bin", token: reader, requirement: write).rejection)
        #expect(denied.status == 403 && denied.code == "AuthorizationPermissionMismatch" && denied.wwwAuthenticate == nil)
        #expect(decide(authenticator, "PUT", "/devstoreaccount1/models/a.bin", token: writer, requirement: write).principal != nil)
        #expect(decide(authenticator, "PUT", "/devstoreaccount1/datasets/a.bin", token: writer, requirement: write).rejection?.status == 403)
        #expect(decide(authenticator, "GET", "/devstoreaccount1/", query: "comp=list", token: writer, requirement: listContainers)
            .rejection?.code == "AuthorizationPermissionMismatch")
        #expect(decide(authenticator, "GET", "/devstoreaccount1/", query: "comp=list", token: reader, requirement: listContainers).principal != nil)
        #expect(decide(authenticator, "PUT", "/devstoreaccount1/models/a.bin", token: owner, requirement: write).principal != nil)
        // A container-scoped role does not reach a container whose name merely starts alike.
        #expect(decide(authenticator, "PUT", "/devstoreaccount1/models2/a.bin", token: writer, requirement: write).rejection != nil)
    }

    @Test func badOrExpiredTokensGetTheChallengeForTheTenant() throws {
        let issuer = try EntraFixtures.issuer()
        let authenticator = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.key],
                                                 bearerToken: "static-token", entra: issuer)
        let read = AccessRequirement(anyOf: ["r"], level: .object, dataAction: .blobsRead)
        let path = "/devstoreaccount1/models/a.bin"
        let reader = try token(issuer, "c-reader")
        let challenge = "Bearer authorization_uri=https://127.0.0.1:10000/\(EntraFixtures.tenant)/oauth2/authorize "
            + "resource_id=https://storage.azure.com"
        // Lifetime 600 s, skew 60 s: fine at +659 s, expired at +661 s; not yet valid 61 s early.
        #expect(decide(authenticator, "GET", path, token: reader, requirement: read, at: now.addingTimeInterval(659)).principal != nil)
        let otherIssuer = try EntraFixtures.issuer()
        let cases: [(String, Date, String)] = [
            (reader, now.addingTimeInterval(661), "expired"),
            (reader, now.addingTimeInterval(-61), "not yet valid"),
            (try token(otherIssuer, "c-reader"), now, "Signature validation failed"),
            (String(reader.dropLast(2)), now, "Signature validation failed"),
            ("not-a-jwt", now, "not well formed"),
        ]
        for (presented, time, detail) in cases {
            let refused = try #require(decide(authenticator, "GET", path, token: presented, requirement: read, at: time).rejection)
            #expect(refused.status == 401 && refused.code == "InvalidAuthenticationInfo")
            #expect(refused.wwwAuthenticate == challenge)
            #expect((refused.detail ?? "").contains(detail))
            #expect(!(refused.detail ?? "").contains(presented))
        }
        #expect(decide(authenticator, "GET", path, token: "static-token", requirement: read).principal == .bearer)
        let anonymous = AuthFixtures.request("GET", path, headers: [("Host", "127.0.0.1:10000")])
        let refused = try #require(authenticator.authenticate(anonymous, requirement: read, publicAccess: .none, now: now).rejection)
        #expect(refused.code == "NoAuthenticationInformation" && refused.wwwAuthenticate == challenge)
    }

    @Test func replacingTheDirectoryChangesRolesOfTokensAlreadyIssued() throws {
        let issuer = try EntraFixtures.issuer()
        let authenticator = RequestAuthenticator(accountName: "devstoreaccount1", keys: [AuthFixtures.key], bearerToken: nil, entra: issuer)
        let read = AccessRequirement(anyOf: ["r"], level: .object, dataAction: .blobsRead)
        let reader = try token(issuer, "c-reader")
        var directory = issuer.directory
        directory.principals.removeAll { $0.clientID == "c-reader" }
        issuer.replace(directory)
        #expect(decide(authenticator, "GET", "/devstoreaccount1/models/a.bin", token: reader, requirement: read).rejection?.status == 403)
    }
}
