import Foundation
import Testing
@testable import FerryKit

@Suite struct AzureCredentialTests {
    let emulatorURL = try! AzureBlobURL(parsing: "http://127.0.0.1:10000/devstoreaccount1/c01")
    let devKey = AzureConnectionString.developmentStorageKey

    @Test func connectionStringFields() throws {
        let text = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=\(devKey);"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
        let parsed = try AzureConnectionString(parsing: text)
        #expect(parsed.accountName == "devstoreaccount1")
        #expect(parsed.accountKey == devKey)
        #expect(parsed.resolvedBlobEndpoint == "http://127.0.0.1:10000/devstoreaccount1")
        #expect(parsed.defaultEndpointsProtocol == "http")
        #expect(!"\(parsed)".contains(devKey))
    }

    @Test func connectionStringSuffixAndSAS() throws {
        let parsed = try AzureConnectionString(parsing:
            "DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.usgovcloudapi.net;SharedAccessSignature=?sv=2021&sig=S3CR3T=")
        #expect(parsed.resolvedBlobEndpoint == "https://acct.blob.core.usgovcloudapi.net")
        #expect(parsed.sharedAccessSignature == "sv=2021&sig=S3CR3T=")
        let onlyEndpoint = try AzureConnectionString(parsing: "BlobEndpoint=http://127.0.0.1:9/acct2/;SharedAccessSignature=sv=1")
        #expect(onlyEndpoint.resolvedAccountName == "acct2")
    }

    @Test func malformedConnectionString() {
        #expect(throws: FerryError.self) { try AzureConnectionString(parsing: "AccountName") }
    }

    @Test func sasInURLComesFirst() throws {
        let url = try AzureBlobURL(parsing: "http://127.0.0.1:10000/devstoreaccount1/c01?sv=1&sig=abc")
        let credential = try AzureCredential.resolve(for: url, sources: AzureCredentialSources(environment: [
            "AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": devKey]))
        guard case .sharedAccessSignature(let sas) = credential else { Issue.record("got \(credential)"); return }
        #expect(sas == "sv=1&sig=abc")
    }

    @Test func resolutionOrder() throws {
        let connection = "AccountName=devstoreaccount1;AccountKey=\(devKey)"
        var environment = ["AZURE_STORAGE_CONNECTION_STRING": connection, "AZURE_STORAGE_TOKEN": "tok"]
        #expect(try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: environment)).kindName == "shared key")
        environment["AZURE_STORAGE_CONNECTION_STRING"] = nil
        #expect(try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: environment)).kindName == "bearer token")
        environment["AZURE_STORAGE_ACCOUNT"] = "devstoreaccount1"
        environment["AZURE_STORAGE_KEY"] = devKey
        #expect(try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: environment)).kindName == "shared key")
        #expect(try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: [:])).kindName == "anonymous access")
    }

    @Test func sourcesForAnotherAccountDoNotApply() throws {
        let credential = try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: [
            "AZURE_STORAGE_CONNECTION_STRING": "AccountName=other;AccountKey=\(devKey)",
            "AZURE_STORAGE_ACCOUNT": "other", "AZURE_STORAGE_KEY": devKey]))
        #expect(credential.kindName == "anonymous access")
    }

    @Test func tokenFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-token-\(UUID().uuidString)").path
        try "  file-token-value\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credential = try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: [:], bearerTokenFile: path))
        guard case .bearerToken(let token) = credential else { Issue.record("got \(credential)"); return }
        #expect(token == "file-token-value")
        #expect(throws: FerryError.self) {
            try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: [:], bearerTokenFile: path + ".missing"))
        }
    }

    @Test func badKeyIsAnAuthenticationError() {
        do {
            _ = try AzureCredential.resolve(for: emulatorURL, sources: .init(environment: [
                "AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": "%%%not-base64%%%"]))
            Issue.record("accepted a bad key")
        } catch let error as FerryError {
            #expect(error.code == .authenticationFailed)
            #expect(!error.message.contains("not-base64"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
