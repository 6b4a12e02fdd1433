import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

/// The blob service's refusals of a bearer token, as one line naming the role or the clock.
@Suite struct BearerRefusalTests {
    let location = try! AzureBlobURL(parsing: "https://acct.blob.core.windows.net/datasets/v2")
    let token: AccessToken = {
        let payload = Base64URL.encode(Data(#"{"tid":"tenant-a","appid":"app-1","oid":"obj-9"}"#.utf8))
        return AccessToken(value: "eyJhbGciOiJSUzI1NiJ9.\(payload).c2ln", expiresOn: Date() + 3600, obtainedOn: Date())
    }()

    func refusal(_ status: Int, _ code: String, detail: String? = nil, method: String, challenge: String? = nil) -> FerryError? {
        let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>\(code)</Code><Message>Server failed.\nRequestId:1</Message>"
            + (detail.map { "<AuthenticationErrorDetail>\($0)</AuthenticationErrorDetail>" } ?? "") + "</Error>"
        var headers = ["x-ms-error-code": code]
        headers["www-authenticate"] = challenge
        let response = HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        return AzureBearerRefusal.error(for: response, method: method, location: location, token: token,
                                        operation: "uploading", target: "https://acct.blob.core.windows.net/datasets/v2/a.bin")
    }

    @Test func missingRoleNamesTheRoleAndTheScope() throws {
        let write = try #require(refusal(403, "AuthorizationPermissionMismatch", method: "PUT"))
        #expect(write.code == .authenticationFailed && write.disposition == .abortJob)
        #expect(write.message.contains("Storage Blob Data Contributor"))
        #expect(write.message.contains("container 'datasets'") && write.message.contains("account 'acct'"))
        #expect(write.message.contains("object ID obj-9"))
        #expect(!write.message.contains(token.value) && !write.message.contains("\n"))
        for method in ["GET", "HEAD"] {
            let read = try #require(refusal(403, "AuthorizationPermissionMismatch", method: method))
            #expect(read.message.contains("Storage Blob Data Reader"))
        }
        #expect(try #require(refusal(403, "AuthorizationPermissionMismatch", method: "DELETE")).message.contains("Contributor"))
    }

    @Test func expiredOrNotYetValidTokensPointAtTheClock() throws {
        let expired = try #require(refusal(401, "InvalidAuthenticationInfo", detail: "Lifetime validation failed. The token is expired.",
                                           method: "GET"))
        #expect(expired.message.contains("Lifetime validation failed. The token is expired."))
        #expect(expired.message.contains("clock"))
        #expect(expired.code == .authenticationFailed)
        let audience = try #require(refusal(401, "InvalidAuthenticationInfo", detail: "Audience validation failed. Audience did not match.",
                                            method: "GET"))
        #expect(audience.message.contains("https://storage.azure.com"))
    }

    @Test func aChallengeFromAnotherTenantNamesIt() throws {
        let challenge = "Bearer authorization_uri=https://login.microsoftonline.com/tenant-b/oauth2/authorize resource_id=https://storage.azure.com"
        #expect(AzureBearerRefusal.challengeTenant(challenge) == "tenant-b")
        #expect(AzureBearerRefusal.challengeTenant("Bearer authorization_uri=https://127.0.0.1:8443/t1/oauth2/authorize, resource_id=x") == "t1")
        #expect(AzureBearerRefusal.challengeTenant("Bearer realm=\"\"") == nil)
        let error = try #require(refusal(401, "InvalidAuthenticationInfo", detail: "Issuer validation failed.", method: "GET",
                                         challenge: challenge))
        #expect(error.message.contains("set AZURE_TENANT_ID=tenant-b"))
        #expect(error.message.contains("tenant tenant-a"))
    }

    @Test func noCredentialAtAllSaysHowToGiveOne() {
        let response = HTTPResponse(status: 401, headers: ["x-ms-error-code": "NoAuthenticationInformation"])
        let error = AzureErrorClassifier.error(for: response, operation: "listing", target: "https://acct.blob.core.windows.net/c")
        #expect(error.code == .authenticationFailed && error.message.contains("--auth entra"))
    }

    @Test func otherAnswersAreLeftToTheClassifier() {
        #expect(refusal(403, "AuthorizationFailure", method: "GET") == nil)
        #expect(refusal(404, "BlobNotFound", method: "GET") == nil)
    }
}
