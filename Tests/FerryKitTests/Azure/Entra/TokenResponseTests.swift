import Foundation
import Testing
@testable import FerryKit

@Suite struct TokenResponseTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func expiresInAsNumberOrString() throws {
        for body in [#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"tok"}"#,
                     #"{"access_token":"tok","expires_in":"3599","expires_on":"1","resource":"https://storage.azure.com"}"#] {
            let token = try #require(EntraTokenResponse.token(from: Data(body.utf8), now: now))
            #expect(token.value == "tok")
            #expect(token.expiresOn == now.addingTimeInterval(3599))
            #expect(token.obtainedOn == now)
        }
    }

    @Test func expiresOnEpochAsStringOrNumber() throws {
        for body in [#"{"access_token":"tok","expires_on":"1800003600","resource":"https://storage.azure.com","token_type":"Bearer"}"#,
                     #"{"access_token":"tok","expires_on":1800003600}"#] {
            let token = try #require(EntraTokenResponse.token(from: Data(body.utf8), now: now))
            #expect(token.expiresOn == Date(timeIntervalSince1970: 1_800_003_600))
            #expect(token.refreshOn == now.addingTimeInterval(1800))
        }
    }

    @Test func answersWithoutATokenOrExpiryAreRejected() {
        for body in [#"{"expires_in":3599}"#, #"{"access_token":"tok"}"#, #"{"access_token":"","expires_in":1}"#, "not json"] {
            #expect(EntraTokenResponse.token(from: Data(body.utf8), now: now) == nil)
        }
    }

    @Test func wrongSecretIsOneLineNamingTheAADSTSCode() {
        let body = #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01","error_codes":[7000215]}"#
        let error = EntraTokenResponse.refusal(status: 401, body: Data(body.utf8), signingIn: "service principal app-1 with a client secret")
        #expect(error.code == .authenticationFailed)
        #expect(error.disposition == .abortJob)
        #expect(error.message.contains("AADSTS7000215: Invalid client secret provided"))
        #expect(error.message.contains("check AZURE_CLIENT_SECRET"))
        #expect(!error.message.contains("\n") && !error.message.contains("\r") && !error.message.contains("Trace ID"))
    }

    @Test func traceIDsOnTheSameLineAreDropped() {
        let body = #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Trace ID: 28da2ad7 Correlation ID: 1"}"#
        let error = EntraTokenResponse.refusal(status: 401, body: Data(body.utf8), signingIn: "x")
        #expect(error.message.contains("Invalid client secret provided.;"))
        #expect(!error.message.contains("Trace ID"))
    }

    @Test func unknownTenantClientAndClockSkewGetTheirAdvice() {
        let cases: [(String, String)] = [
            (#"{"error":"invalid_request","error_description":"AADSTS90002: Tenant 'nope' not found."}"#, "check AZURE_TENANT_ID"),
            (#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'x' was not found in the directory 'y'."}"#,
             "check AZURE_CLIENT_ID and AZURE_TENANT_ID"),
            (#"{"error":"invalid_client","error_description":"AADSTS700024: Client assertion is not within its valid time range."}"#,
             "check this machine's clock"),
            (#"{"error":"invalid_client","error_description":"AADSTS70021: No matching federated identity record found for presented assertion."}"#,
             "AZURE_FEDERATED_TOKEN_FILE"),
            (#"{"error":"invalid_client","error_codes":[700027]}"#, "AZURE_CLIENT_CERTIFICATE_PATH"),
        ]
        for (body, advice) in cases {
            let error = EntraTokenResponse.refusal(status: 400, body: Data(body.utf8), signingIn: "x")
            #expect(error.message.contains(advice), "\(error.message)")
            #expect(error.code == .authenticationFailed)
        }
    }

    @Test func busyIssuerIsRetried() {
        let error = EntraTokenResponse.refusal(status: 503, body: Data(), signingIn: "x")
        #expect(error.disposition == .retry)
        #expect(error.code == .serviceBusy)
    }

    @Test func aSecretEchoedByTheIssuerIsRedacted() {
        let body = #"{"error":"invalid_request","error_description":"bad body client_secret=SEKRIT-123&client_assertion=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}"#
        let error = EntraTokenResponse.refusal(status: 400, body: Data(body.utf8), signingIn: "x")
        #expect(!error.message.contains("SEKRIT-123"))
        #expect(!error.message.contains("eyJzdWIiOiJ4In0"))
    }

    @Test func azureCLIOutput() throws {
        let modern = #"{"accessToken":"tok","expiresOn":"2027-01-15 10:00:00.000000","expires_on":1800003600,"subscription":"s","tenant":"t","tokenType":"Bearer"}"#
        let token = try #require(AzureCLITokenProvider.token(fromOutput: Data(modern.utf8), now: now))
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_800_003_600))
        let legacy = #"{"accessToken":"tok","expiresOn":"2027-01-15 10:00:00.000000","tokenType":"Bearer"}"#
        let old = try #require(AzureCLITokenProvider.token(fromOutput: Data(legacy.utf8), now: now))
        var components = DateComponents(year: 2027, month: 1, day: 15, hour: 10)
        components.timeZone = TimeZone.current
        #expect(old.expiresOn == Calendar(identifier: .gregorian).date(from: components))
        #expect(AzureCLITokenProvider.token(fromOutput: Data(#"{"expires_on":1}"#.utf8), now: now) == nil)
    }

    @Test func claimsArePrincipalNotToken() throws {
        let payload = Base64URL.encode(Data(#"{"tid":"tenant-a","appid":"app-1","oid":"obj-9","aud":"https://storage.azure.com","exp":1800003600,"nbf":1800000000}"#.utf8))
        let jwt = "eyJhbGciOiJSUzI1NiJ9.\(payload).c2lnbmF0dXJl"
        let claims = try #require(AccessTokenClaims(jwt: jwt))
        #expect(claims.tenantID == "tenant-a" && claims.clientID == "app-1" && claims.objectID == "obj-9")
        #expect(claims.expiresOn == Date(timeIntervalSince1970: 1_800_003_600))
        #expect(claims.principalSummary == "object ID obj-9, client ID app-1, tenant tenant-a")
        #expect(AccessTokenClaims(jwt: "opaque-token") == nil)
        let token = AccessToken(value: jwt, expiresOn: now, obtainedOn: now)
        #expect(!"\(token)".contains(payload))
        #expect(!String(reflecting: token).contains(payload))
    }
}
