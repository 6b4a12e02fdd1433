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

    /// What the store says of the blocks it holds.
    enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
        /// Azure: Ferry's block IDs name each block's CRC-64.
        case idsNameCRCs
        /// S3: parts by number, each ETag the MD5 of the part's bytes.
        case partsWithMD5s
        /// S3 parts whose ETags say nothing of their bytes (KMS-encrypted).
        case partsOnly

        var testDescription: String { rawValue }
        func makeEndpoint() -> MemoryEndpoint {
            switch self {
            case .idsNameCRCs: MemoryEndpoint()
            case .partsWithMD5s: MemoryEndpoint(listsByPosition: true, listsPartMD5s: true)
            case .partsOnly: MemoryEndpoint(listsByPosition: true)
            }
        }
        /// Can the engine check an unrecorded block against the source's bytes?
        var saysWhatItHolds: Bool { self != .partsOnly }
    }

    /// Blocks 0 and 2 are reused where the store says what they hold; block 1, whose bytes changed,
    /// is always staged again, and so is everything the store cannot vouch for.
    @Test(arguments: StoreKind.allCases)
    func aNewJobReusesOnlyStagedBlocksWhoseBytesItCanCheck(_ kind: StoreKind) throws {
        let remote = kind.makeEndpoint()
        let (second, expected) = try Self.rerunAsNewJob(remote, seed: 31)
        #expect(second.state == .completed)
        #expect(remote.object("")?.data == expected)
        #expect(remote.takeStageCalls("").sorted() == (kind.saysWhatItHolds ? [1, 3, 4, 5] : [0, 1, 2, 3, 4, 5]))
        #expect(second.progress.bytesResumed == (kind.saysWhatItHolds ? Int64(2 * Self.blockSize) : 0))
    }
}
