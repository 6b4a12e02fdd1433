import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Shared Key, SAS and bearer against the real emulator, and how refusals are classified.
@Suite struct AzureAuthLiveTests {
    typealias Support = AzureTestSupport

    func expectAuthenticationFailure(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("the request was accepted", sourceLocation: sourceLocation)
        } catch let error as FerryError {
            #expect(error.code == .authenticationFailed, sourceLocation: sourceLocation)
            #expect(error.disposition == .abortJob, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func wrongSharedKeyIsAuthenticationFailed() throws {
        try withEmulator { emulator in
            try Support.createContainer("c01", on: emulator)
            let wrongKey = Data(repeating: 7, count: 64).base64EncodedString()
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01",
                                                environment: ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": wrongKey])
            expectAuthenticationFailure { _ = try endpoint.stat("x.bin") }                             // HEAD: code in header only
            expectAuthenticationFailure { _ = try Support.collect(try endpoint.list(prefix: "", recursive: true)) }
            expectAuthenticationFailure { try Support.writeWhole(endpoint, "x.bin", Data("x".utf8)) }
        }
    }

    @Test func sharedKeyThroughConnectionString() throws {
        try withEmulator { emulator in
            let connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=\(Support.devKey);"
                + "BlobEndpoint=\(emulator.accountURL);"
            let environment = ["AZURE_STORAGE_CONNECTION_STRING": connection]
            try Support.createContainer("c02", on: emulator, environment: environment)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c02", environment: environment)
            #expect(endpoint.credentialKind == "shared key")
            try Support.writeWhole(endpoint, "cs.bin", Data("via connection string".utf8))
            #expect(try endpoint.stat("cs.bin")?.sizeBytes == 21)
        }
    }

    @Test func sasInTheURL() throws {
        try withEmulator { emulator in
            let sas = Support.accountSAS()
            try Support.createContainer("c03", on: emulator, environment: [:], sas: sas)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c03/p?" + sas, environment: [:])
            #expect(endpoint.credentialKind == "SAS token")
            let data = Support.bytes(5000)
            try Support.writeWhole(endpoint, "s.bin", data)
            #expect(try Support.readAll(endpoint, "s.bin", size: data.count) == data)
            #expect(try Support.collect(try endpoint.list(prefix: "", recursive: true)).map(\.path) == ["s.bin"])
            try endpoint.delete("s.bin")

            let forged = Support.accountSAS(key: Data(repeating: 1, count: 64).base64EncodedString())
            let bad = try Support.endpoint(emulator.accountURL + "/c03/p?" + forged, environment: [:])
            expectAuthenticationFailure { _ = try bad.stat("s.bin") }
            expectAuthenticationFailure { _ = try Support.collect(try bad.list(prefix: "", recursive: true)) }
            // Neither signature appears in descriptions or errors.
            let signatures = [sas, forged].compactMap { $0.components(separatedBy: "sig=").last }
            var texts = [endpoint.redactedDescription, bad.redactedDescription]
            do { _ = try Support.collect(try bad.list(prefix: "", recursive: true)) } catch let error as FerryError {
                texts += [error.message, error.cause ?? "", "\(error)"]
            }
            for signature in signatures {
                #expect(!signature.isEmpty)
                for text in texts { #expect(!text.contains(signature)) }
                for text in texts { #expect(!text.contains(signature.removingPercentEncoding ?? signature)) }
            }
            let readOnly = try Support.endpoint(emulator.accountURL + "/c03/p?" + Support.accountSAS(permissions: "rl"), environment: [:])
            expectAuthenticationFailure { try Support.writeWhole(readOnly, "t.bin", Data("x".utf8)) }
        }
    }

    @Test func bearerToken() throws {
        let token = "test-bearer-\(UUID().uuidString)"
        try withEmulator(arguments: ["--bearer-token", token]) { emulator in
            let environment = ["AZURE_STORAGE_TOKEN": token]
            try Support.createContainer("c04", on: emulator, environment: environment)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c04", environment: environment)
            #expect(endpoint.credentialKind == "bearer token")
            try Support.writeWhole(endpoint, "b.bin", Data("bearer".utf8))
            #expect(try endpoint.stat("b.bin")?.sizeBytes == 6)

            let wrong = try Support.endpoint(emulator.accountURL + "/c04", environment: ["AZURE_STORAGE_TOKEN": "not-" + token])
            expectAuthenticationFailure { _ = try wrong.stat("b.bin") }
            let anonymous = try Support.endpoint(emulator.accountURL + "/c04", environment: [:])
            expectAuthenticationFailure { _ = try anonymous.stat("b.bin") }
        }
    }
}
