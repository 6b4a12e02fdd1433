import Foundation
import Testing
@testable import FerryKit

/// Which credential the chain and `--auth` pick, from environment dictionaries alone (no sign-in
/// happens: tokens are fetched on first use).
@Suite struct CredentialChainTests {
    let httpsURL = try! AzureBlobURL(parsing: "https://acct.blob.core.windows.net/c01/data")
    let loopbackURL = try! AzureBlobURL(parsing: "http://127.0.0.1:10000/acct/c01")
    let devKey = AzureConnectionString.developmentStorageKey
    let principal = ["AZURE_TENANT_ID": "tenant-a", "AZURE_CLIENT_ID": "app-1"]

    func resolve(_ url: AzureBlobURL, _ environment: [String: String], auth: AzureAuthMode? = nil,
                 tokenFile: String? = nil) throws -> AzureCredential {
        try AzureCredential.resolve(for: url, sources: AzureCredentialSources(environment: environment, bearerTokenFile: tokenFile,
                                                                             authMode: auth))
    }

    func provider(_ credential: AzureCredential) -> (any EntraTokenProvider)? {
        if case .entraID(let cache) = credential { return cache.provider }
        return nil
    }

    @Test func entraSourcesInOrder() throws {
        var environment = principal.merging(["AZURE_CLIENT_SECRET": "s3cret", "AZURE_CLIENT_CERTIFICATE_PATH": "/nonexistent.pem",
                                             "AZURE_FEDERATED_TOKEN_FILE": "/var/run/token", "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi",
                                             "IDENTITY_HEADER": "h", "AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://127.0.0.1:2"]) { $1 }
        #expect(provider(try resolve(httpsURL, environment)) is ClientSecretTokenProvider)
        environment["AZURE_CLIENT_SECRET"] = nil
        // The certificate comes next: an unreadable file is an error, not a fall-through.
        #expect(throws: FerryError.self) { try resolve(httpsURL, environment) }
        environment["AZURE_CLIENT_CERTIFICATE_PATH"] = nil
        #expect(provider(try resolve(httpsURL, environment)) is WorkloadIdentityTokenProvider)
        environment["AZURE_FEDERATED_TOKEN_FILE"] = nil
        let appService = try #require(provider(try resolve(httpsURL, environment)) as? ManagedIdentityTokenProvider)
        #expect(appService.source == .appService(endpoint: "http://127.0.0.1:1/msi", header: "h"))
        environment["IDENTITY_ENDPOINT"] = nil
        let metadata = try #require(provider(try resolve(httpsURL, environment)) as? ManagedIdentityTokenProvider)
        #expect(metadata.source == .instanceMetadata(host: "http://127.0.0.1:2"))
        environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = nil
        // Nothing the environment shows: anonymous, unless Entra ID is asked for.
        #expect(try resolve(httpsURL, environment).kindName == "anonymous access")
        let ambient = try #require(provider(try resolve(httpsURL, environment.merging(["PATH": "/nonexistent"]) { $1 }, auth: .entra))
                                   as? FirstAvailableTokenProvider)
        #expect(ambient.candidates.count == 1)
        #expect((ambient.candidates[0] as? ManagedIdentityTokenProvider)?.source == .instanceMetadata(host: "http://169.254.169.254"))
    }

    @Test func certificatePrincipal() throws {
        try withTemporaryDirectory { directory in
            let path = try OpenSSLTool.makeCertificate(in: directory)
            let chosen = try #require(provider(try resolve(httpsURL, principal.merging(["AZURE_CLIENT_CERTIFICATE_PATH": path]) { $1 }))
                                      as? ClientCertificateTokenProvider)
            #expect(chosen.tokenURL == "https://login.microsoftonline.com/tenant-a/oauth2/v2.0/token")
        }
    }

    @Test func azureCLIIsTriedAfterTheMetadataService() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/az", Data("#!/bin/sh\nexit 1\n".utf8))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/az")
            let chain = try #require(provider(try resolve(httpsURL, ["PATH": "/nonexistent:\(directory)", "AZURE_TENANT_ID": "t"], auth: .entra))
                                     as? FirstAvailableTokenProvider)
            let cli = try #require(chain.candidates.last as? AzureCLITokenProvider)
            #expect(cli.executablePath == directory + "/az")
            #expect(cli.arguments == ["account", "get-access-token", "--output", "json", "--resource", "https://storage.azure.com",
                                      "--tenant", "t"])
        }
    }

    @Test func keysAndSASComeBeforeEntraWithoutAuth() throws {
        let environment = principal.merging(["AZURE_CLIENT_SECRET": "s", "AZURE_STORAGE_ACCOUNT": "acct", "AZURE_STORAGE_KEY": devKey]) { $1 }
        #expect(try resolve(httpsURL, environment).kindName == "shared key")
        let withSAS = try AzureBlobURL(parsing: "https://acct.blob.core.windows.net/c01?sv=1&sig=x")
        #expect(try resolve(withSAS, environment).kindName == "SAS token")
        var tokenGiven = environment.merging(["AZURE_STORAGE_TOKEN": "given"]) { $1 }
        #expect(try resolve(httpsURL, tokenGiven).kindName == "shared key")
        tokenGiven["AZURE_STORAGE_KEY"] = nil
        #expect(try resolve(httpsURL, tokenGiven).kindName == "bearer token")  // a token given beats a sign-in
    }

    @Test func authOverridesTheOrder() throws {
        let withSAS = try AzureBlobURL(parsing: "https://acct.blob.core.windows.net/c01?sv=1&sig=x")
        let environment = principal.merging(["AZURE_CLIENT_SECRET": "s", "AZURE_STORAGE_ACCOUNT": "acct", "AZURE_STORAGE_KEY": devKey]) { $1 }
        #expect(provider(try resolve(withSAS, environment, auth: .entra)) is ClientSecretTokenProvider)
        #expect(try resolve(withSAS, environment, auth: .key).kindName == "shared key")
        #expect(try resolve(withSAS, environment, auth: .anonymous).kindName == "anonymous access")
        #expect(try resolve(withSAS, environment, auth: .sas).kindName == "SAS token")
        #expect(throws: FerryError.self) { try resolve(httpsURL, environment, auth: .sas) }
        #expect(throws: FerryError.self) { try resolve(httpsURL, principal, auth: .key) }
        // A connection string holding both: --auth sas takes its SAS, the chain its key.
        let both = ["AZURE_STORAGE_CONNECTION_STRING": "AccountName=acct;AccountKey=\(devKey);SharedAccessSignature=sv=2&sig=y"]
        guard case .sharedAccessSignature(let sas) = try resolve(httpsURL, both, auth: .sas) else { Issue.record("no SAS"); return }
        #expect(sas == "sv=2&sig=y")
        #expect(try resolve(httpsURL, both).kindName == "shared key")
        // A bearer token given comes first under --auth entra.
        #expect(try resolve(httpsURL, environment.merging(["AZURE_STORAGE_TOKEN": "given"]) { $1 }, auth: .entra).kindName == "bearer token")
    }

    @Test func authority() throws {
        let secret = principal.merging(["AZURE_CLIENT_SECRET": "s"]) { $1 }
        let publicCloud = try #require(provider(try resolve(httpsURL, secret)) as? ClientSecretTokenProvider)
        #expect(publicCloud.tokenURL == "https://login.microsoftonline.com/tenant-a/oauth2/v2.0/token")
        for (host, expected) in [("https://127.0.0.1:8443/", "https://127.0.0.1:8443/tenant-a/oauth2/v2.0/token"),
                                 ("login.microsoftonline.us", "https://login.microsoftonline.us/tenant-a/oauth2/v2.0/token"),
                                 ("http://localhost:9000", "http://localhost:9000/tenant-a/oauth2/v2.0/token")] {
            let chosen = try #require(provider(try resolve(httpsURL, secret.merging(["AZURE_AUTHORITY_HOST": host]) { $1 }))
                                      as? ClientSecretTokenProvider)
            #expect(chosen.tokenURL == expected)
        }
        // A secret never goes over plain http to another machine.
        #expect(throws: FerryError.self) { try resolve(httpsURL, secret.merging(["AZURE_AUTHORITY_HOST": "http://login.example.com"]) { $1 }) }
        #expect(throws: FerryError.self) { try resolve(httpsURL, secret.merging(["AZURE_TENANT_ID": "../evil"]) { $1 }) }
    }

    @Test func halfConfiguredPrincipalIsAUsageError() {
        do {
            _ = try resolve(httpsURL, ["AZURE_CLIENT_SECRET": "s", "AZURE_CLIENT_ID": "app"])
            Issue.record("accepted a secret without a tenant")
        } catch let error as FerryError {
            #expect(error.code == .usage)
            #expect(error.message.contains("AZURE_TENANT_ID"))
            #expect(!error.message.contains("\"s\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func bearerTokensOnlyOverHTTPSOrLoopback() throws {
        let secret = principal.merging(["AZURE_CLIENT_SECRET": "s"]) { $1 }
        #expect(try resolve(loopbackURL, secret).sendsBearerToken)
        for url in ["http://localhost:10000/acct/c01", "http://[::1]:10000/acct/c01", "http://127.0.0.2:10000/acct/c01"] {
            #expect(try resolve(try AzureBlobURL(parsing: url), ["AZURE_STORAGE_TOKEN": "t"]).sendsBearerToken)
        }
        for url in ["http://10.0.0.5:10000/acct/c01", "http://acct.blob.core.windows.net/c01"] {
            for environment in [secret, ["AZURE_STORAGE_TOKEN": "t"]] {
                do {
                    _ = try resolve(try AzureBlobURL(parsing: url), environment)
                    Issue.record("a bearer token would go over plain http to \(url)")
                } catch let error as FerryError {
                    #expect(error.code == .usage)
                    #expect(error.message.contains("without TLS"))
                }
            }
        }
        // Keys and SAS are not bearer tokens: plain http stays allowed for them (emulators).
        #expect(try resolve(try AzureBlobURL(parsing: "http://10.0.0.5:10000/acct/c01?sv=1&sig=x"), [:]).kindName == "SAS token")
    }

    @Test func caBundleOrder() {
        var sources = AzureCredentialSources(environment: ["SSL_CERT_FILE": "/ssl.pem", "CURL_CA_BUNDLE": "/curl.pem"], caFile: "/flag.pem")
        #expect(sources.caBundlePath == "/flag.pem")
        sources.caFile = nil
        #expect(sources.caBundlePath == "/ssl.pem")
        sources.environment["SSL_CERT_FILE"] = nil
        #expect(sources.caBundlePath == "/curl.pem")
        sources.environment = [:]
        #expect(sources.caBundlePath == nil)
    }

    @Test func managedIdentityRequests() {
        let issuer = TokenIssuerClient(caBundlePath: nil)
        let appService = ManagedIdentityTokenProvider(source: .appService(endpoint: "http://127.0.0.1:41234/msi/token", header: "hdr"),
                                                      clientID: nil, issuer: issuer)
        #expect(appService.requestURL
                == "http://127.0.0.1:41234/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com")
        #expect(appService.requestHeaders.contains { $0.name == "X-IDENTITY-HEADER" && $0.value == "hdr" })
        #expect(!"\(appService)".contains("hdr"))
        let metadata = ManagedIdentityTokenProvider(source: .instanceMetadata(host: "http://169.254.169.254/"), clientID: "mi-1", issuer: issuer)
        #expect(metadata.requestURL == "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
                + "&resource=https%3A%2F%2Fstorage.azure.com&client_id=mi-1")
        #expect(metadata.requestHeaders.map(\.name) == ["Metadata"])
    }

    @Test func credentialDescriptionsHoldNoSecret() throws {
        let environment = principal.merging(["AZURE_CLIENT_SECRET": "Very-Secret-Value"]) { $1 }
        let credential = try resolve(httpsURL, environment)
        for text in ["\(credential)", credential.kindName, String(reflecting: credential)] {
            #expect(!text.contains("Very-Secret-Value"))
        }
        let chosen = try #require(provider(credential))
        #expect(!"\(chosen)".contains("Very-Secret-Value"))
        var dumped = ""
        dump(chosen, to: &dumped)
        #expect(!dumped.contains("Very-Secret-Value"))
    }
}

@Suite struct SecureTransportRuleTests {
    @Test func hostsAndLoopback() {
        #expect(SecureTransportRule.host(of: "https://user@Example.COM:8443/x?y") == "example.com")
        #expect(SecureTransportRule.host(of: "http://[::1]:10000/acct") == "::1")
        #expect(SecureTransportRule.host(of: "http://127.0.0.1") == "127.0.0.1")
        for host in ["127.0.0.1", "127.1.2.3", "::1", "localhost"] { #expect(SecureTransportRule.isLoopback(host: host)) }
        for host in ["128.0.0.1", "10.0.0.1", "localhost.example.com", "127.0.0", "::2", "169.254.169.254"] {
            #expect(!SecureTransportRule.isLoopback(host: host))
        }
        #expect(throws: FerryError.self) { try SecureTransportRule.require(url: "ftp://127.0.0.1/x", carrying: "a token", setting: "X") }
        #expect(throws: Never.self) { try SecureTransportRule.require(url: "HTTPS://example.com", carrying: "a token", setting: "X") }
    }
}
