import Foundation
import Testing
@testable import FerryKit

/// Hands out the tokens it was given, in order (the last one again when they run out), and
/// counts them. Thread-safe (locked).
final class TokenSequenceProvider: EntraTokenProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: [String]
    private(set) var issued = 0

    init(_ tokens: [String]) { remaining = tokens }

    var credentialDescription: String { "a token sequence" }
    var issuedCount: Int { lock.lock(); defer { lock.unlock() }; return issued }

    func fetchToken() throws -> AccessToken {
        lock.lock()
        defer { lock.unlock() }
        issued += 1
        let value = remaining.count > 1 ? remaining.removeFirst() : remaining[0]
        return AccessToken(value: value, expiresOn: Date() + 3600, obtainedOn: Date())
    }
}

/// A token the service refuses (401) is dropped and replaced once, against the real emulator
/// holding one accepted bearer token; a second refusal is the job's one-line error.
@Suite struct EntraRefreshLiveTests {
    typealias Support = AzureTestSupport

    func endpoint(_ url: String, _ provider: TokenSequenceProvider) throws -> AzureBlobEndpoint {
        AzureBlobEndpoint(location: try AzureBlobURL(parsing: url), credential: .entraID(AccessTokenCache(provider: provider)),
                          caBundlePath: nil, connectionCount: 2, listPageSize: 5000)
    }

    @Test func aRefusedTokenIsReplacedOnceAndTheRequestSucceeds() throws {
        let accepted = "accepted-\(UUID().uuidString)"
        try withEmulator(arguments: ["--bearer-token", accepted]) { emulator in
            try Support.createContainer("refresh", on: emulator, environment: ["AZURE_STORAGE_TOKEN": accepted])
            let provider = TokenSequenceProvider(["revoked-\(UUID().uuidString)", accepted])
            let blobs = try endpoint(emulator.accountURL + "/refresh", provider)
            try Support.writeWhole(blobs, "r.bin", Data("renewed".utf8))
            #expect(try blobs.stat("r.bin")?.sizeBytes == 7)
            #expect(provider.issuedCount == 2)
        }
    }

    @Test func aTokenRefusedAgainIsOneLineAuthenticationError() throws {
        let accepted = "accepted-\(UUID().uuidString)"
        try withEmulator(arguments: ["--bearer-token", accepted]) { emulator in
            try Support.createContainer("refused", on: emulator, environment: ["AZURE_STORAGE_TOKEN": accepted])
            let wrong = "wrong-\(UUID().uuidString)"
            let provider = TokenSequenceProvider([wrong])
            let blobs = try endpoint(emulator.accountURL + "/refused", provider)
            do {
                _ = try blobs.stat("r.bin")
                Issue.record("a refused token was accepted")
            } catch let error as FerryError {
                #expect(error.code == .authenticationFailed && error.disposition == .abortJob)
                #expect(error.message.contains("401"))
                #expect(!error.message.contains(wrong) && !error.message.contains("\n"))
            }
            #expect(provider.issuedCount == 2)  // the first, and one more after the refusal: no loop
        }
    }
}
