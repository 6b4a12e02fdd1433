import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// A job whose FERRY_HOME was lost (a replaced CI runner) is run again as a new job: what the
/// store already holds is reused only where the source's bytes still match.
@Suite struct FreshRunnerTests {
    static let blockSize = RemoteStoreTests.blockSize

    /// Runs a first job that stages blocks 0–2 of `content` and stops on block 3, as a killed run would.
    static func interruptedUpload(_ content: Data, base: String, remote: MemoryEndpoint) throws {
        try writeFile(base + "/src/m.bin", content)
        let failing = InstrumentedEndpoint(remote)
        failing.failStage = (3, FerryError(.authenticationFailed, "expired", disposition: .abortJob))
        let options = RemoteStoreTests.options { $0.concurrency = 1 }
        let (first, store) = try runLocalCopy(source: base + "/src/m.bin", destination: "http://127.0.0.1:1/acct/c/m.bin",
                                              options: options, home: FerryHome(path: base + "/home-lost"),
                                              open: { $0.kind == .remote ? failing as any Endpoint : LocalEndpoint(root: $0.original) })
        store.close()
        #expect(first.state == .failed)
        #expect(remote.takeStageCalls("") == [0, 1, 2])
    }

    /// The same file checked out again: new modification time, and block 1's bytes changed.
    static func checkOutAgain(_ content: Data, base: String) throws -> Data {
        var changed = content
        changed[blockSize + 10] ^= 0xFF
        try writeFile(base + "/src/m.bin", changed)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)],
                                              ofItemAtPath: base + "/src/m.bin")
        return changed
    }

    /// Blocks 0–2 staged by a lost run, then a new job on a fresh FERRY_HOME after `checkOutAgain`.
    static func rerunAsNewJob(_ remote: MemoryEndpoint, seed: UInt64) throws -> (JobSummary, expected: Data) {
        try withTemporaryDirectory { base in
            let content = patternData(blockSize * 6, seed: seed)
            try interruptedUpload(content, base: base, remote: remote)
            let changed = try checkOutAgain(content, base: base)
            let second = try RemoteStoreTests.run(source: base + "/src/m.bin", destination: "http://127.0.0.1:1/acct/c/m.bin",
                                                  options: RemoteStoreTests.options(), home: base + "/home-fresh", remote: remote)
            return (second, changed)
        }
    }

    @Test func aNewJobReusesStagedBlocksWhoseBytesStillMatch() throws {
        let remote = MemoryEndpoint()
        let (second, expected) = try Self.rerunAsNewJob(remote, seed: 31)
        #expect(second.state == .completed)
        #expect(remote.object("")?.data == expected)
        // Blocks 0 and 2 are reused; block 1 is staged again from its new bytes.
        #expect(remote.takeStageCalls("").sorted() == [1, 3, 4, 5])
        #expect(second.progress.bytesResumed == Int64(2 * Self.blockSize))
    }

    /// S3 lists parts by number; each ETag is the MD5 of the part's bytes (the engine checks it).
    @Test func partsWhoseMD5MatchesAreReused() throws {
        let remote = MemoryEndpoint(listsByPosition: true, listsPartMD5s: true)
        let (second, expected) = try Self.rerunAsNewJob(remote, seed: 33)
        #expect(second.state == .completed)
        #expect(remote.object("")?.data == expected)
        #expect(remote.takeStageCalls("").sorted() == [1, 3, 4, 5])
        #expect(second.progress.bytesResumed == Int64(2 * Self.blockSize))
    }

    /// Parts listed by number with nothing said of their bytes (ETags of KMS-encrypted parts):
    /// nothing unrecorded can be checked, so a new job sends every block.
    @Test func partsThatSayNothingOfTheirBytesAreSentAgain() throws {
        let remote = MemoryEndpoint(listsByPosition: true)
        let (second, expected) = try Self.rerunAsNewJob(remote, seed: 32)
        #expect(second.state == .completed)
        #expect(remote.object("")?.data == expected)
        #expect(remote.takeStageCalls("").sorted() == [0, 1, 2, 3, 4, 5])
        #expect(second.progress.bytesResumed == 0)
    }
}
