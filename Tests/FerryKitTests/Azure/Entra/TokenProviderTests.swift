import Foundation
import Testing
@testable import FerryKit

/// What each provider sends (without a network: the form fields and the Azure CLI's command
/// line), and the providers that need no HTTP at all (the Azure CLI) run for real.
@Suite struct TokenProviderTests {
    let authority = try! EntraAuthority(host: "https://127.0.0.1:8443")
    let issuer = TokenIssuerClient(caBundlePath: nil)

    func fields(_ pairs: [(String, String)]) -> [String: String] {
        Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    @Test func clientSecretForm() {
        let provider = ClientSecretTokenProvider(tenantID: "tenant-a", clientID: "app-1", secret: "s3cr3t", authority: authority, issuer: issuer)
        #expect(provider.tokenURL == "https://127.0.0.1:8443/tenant-a/oauth2/v2.0/token")
        #expect(fields(provider.formFields()) == ["client_id": "app-1", "grant_type": "client_credentials", "client_secret": "s3cr3t",
                                                  "scope": "https://storage.azure.com/.default"])
        #expect(TokenIssuerClient.formEncode(provider.formFields())
                == "client_id=app-1&grant_type=client_credentials&client_secret=s3cr3t&scope=https%3A%2F%2Fstorage.azure.com%2F.default")
        #expect(!provider.credentialDescription.contains("s3cr3t"))
    }

    @Test func certificateFormCarriesAFreshAssertionForTheTokenEndpoint() throws {
        try withTemporaryDirectory { directory in
            let path = try OpenSSLTool.makeCertificate(in: directory)
            let certificate = try ClientCertificate(pem: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            let provider = ClientCertificateTokenProvider(tenantID: "tenant-a", clientID: "app-1", certificate: certificate,
                                                          certificatePath: path, authority: authority, issuer: issuer)
            let first = fields(try provider.formFields())
            #expect(first["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            #expect(first["client_secret"] == nil)
            let assertion = try #require(first["client_assertion"])
            let claimsJSON = try #require(Base64URL.decode(String(assertion.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: claimsJSON) as? [String: Any])
            #expect(claims["aud"] as? String == "https://127.0.0.1:8443/tenant-a/oauth2/v2.0/token")
            #expect(fields(try provider.formFields())["client_assertion"] != assertion)  // a new jti each time
        }
    }

    @Test func workloadIdentityRereadsTheRotatingTokenFile() throws {
        try withTemporaryDirectory { directory in
            let file = directory + "/azure-identity-token"
            try writeFile(file, Data("federated-token-one\n".utf8))
            let provider = WorkloadIdentityTokenProvider(tenantID: "tenant-a", clientID: "app-1", federatedTokenFile: file,
                                                         authority: authority, issuer: issuer)
            #expect(fields(try provider.formFields()) == [
                "client_assertion": "federated-token-one", "client_id": "app-1", "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "scope": "https://storage.azure.com/.default"])
            try writeFile(file, Data("federated-token-two".utf8))  // the kubelet rotated it
            #expect(fields(try provider.formFields())["client_assertion"] == "federated-token-two")
            try FileManager.default.removeItem(atPath: file)
            do {
                _ = try provider.formFields()
                Issue.record("a missing token file was accepted")
            } catch let error as FerryError {
                #expect(error.code == .authenticationFailed && error.message.contains("AZURE_FEDERATED_TOKEN_FILE"))
            }
        }
    }

    /// Writes an executable `az` that records its arguments and prints `output` (exit `status`, `stderr`).
    func fakeAzureCLI(in directory: String, output: String, stderr: String = "", status: Int = 0) throws -> String {
        let script = """
        #!/bin/sh
        echo "$@" > "\(directory)/az-arguments"
        [ -n "$AZURE_CORE_NO_COLOR" ] && touch "\(directory)/az-no-color"
        printf '%s' '\(output)'
        printf '%s\\n' '\(stderr)' >&2
        exit \(status)
        """
        let path = directory + "/az"
        try writeFile(path, Data(script.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func azureCLIToken() throws {
        try withTemporaryDirectory { directory in
            let az = try fakeAzureCLI(in: directory, output: #"{"accessToken":"cli-token","expires_on":1800003600,"tokenType":"Bearer"}"#)
            let token = try AzureCLITokenProvider(executablePath: az, tenantID: "tenant-a").fetchToken()
            #expect(token.value == "cli-token")
            #expect(token.expiresOn == Date(timeIntervalSince1970: 1_800_003_600))
            let arguments = try String(contentsOfFile: directory + "/az-arguments", encoding: .utf8)
            #expect(arguments == "account get-access-token --output json --resource https://storage.azure.com --tenant tenant-a\n")
            #expect(FileManager.default.fileExists(atPath: directory + "/az-no-color"))
        }
    }

    @Test func azureCLIWithoutALoginIsOneLine() throws {
        try withTemporaryDirectory { directory in
            let az = try fakeAzureCLI(in: directory, output: "",
                                      stderr: "ERROR: Please run \"az login\" to setup account.", status: 1)
            do {
                _ = try AzureCLITokenProvider(executablePath: az, tenantID: nil).fetchToken()
                Issue.record("a failed az was accepted")
            } catch let error as FerryError {
                #expect(error.code == .authenticationFailed)
                #expect(error.message.contains("run `az login`"))
                #expect(!error.message.contains("\n"))
            }
        }
    }

    @Test func aHungAzureCLIIsStoppedAtTheTimeout() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/az"
            try writeFile(path, Data("#!/bin/sh\nexec sleep 30\n".utf8))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            do {
                _ = try AzureCLITokenProvider(executablePath: path, tenantID: nil, timeoutSeconds: 0.5).fetchToken()
                Issue.record("a hung az was waited for")
            } catch let error as FerryError {
                #expect(error.message.contains("did not answer"))
            }
        }
    }
}
