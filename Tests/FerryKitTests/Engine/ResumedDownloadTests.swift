import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// A resumed download of a blob with a Content-MD5 must not fetch the blocks it already wrote:
/// the in-order MD5 is fed from the local partial file instead (integration bug #2).
@Suite struct ResumedDownloadTests {
    static let blockSize = 64 << 10
    static let sourceURL = "http://127.0.0.1:1/acct/c/d"

    struct Outcome {
        var summary: JobSummary
        var readOffsets: [Int64]
        var downloaded: Data?
        var leftovers: [String]
    }

    /// Downloads `content` (11 blocks) from a remote-like store claiming `contentMD5`; the first
    /// run's destination stops the job at block 4; `between` may disturb the partial file; the
    /// resume reads the source through a counting wrapper.
    static func downloadCutAndResume(_ content: Data, contentMD5: Data,
                                     between: (String) throws -> Void = { _ in }) throws -> Outcome {
        try withTemporaryDirectory { base in
            let remote = MemoryEndpoint()
            remote.put("big.bin", content, contentMD5: contentMD5)
            let home = FerryHome(path: base + "/home")
            var options = TransferOptions()
            options.recursive = true
            options.blockSizeBytes = Self.blockSize
            options.concurrency = 1
            let cutDestination = InstrumentedEndpoint(LocalEndpoint(root: base + "/out"))
            cutDestination.failStage = (4, FerryError(.authenticationFailed, "token expired", disposition: .abortJob))
            let (first, store) = try runLocalCopy(source: Self.sourceURL, destination: base + "/out", options: options, home: home) {
                $0.kind == .remote ? remote as any Endpoint : cutDestination
            }
            #expect(first.state == .failed)
            let files = try store.files(state: nil, afterID: 0, limit: 10)
            #expect(Set(try store.doneBlocks(fileID: files[0].id).keys) == Set(0..<4))
            let jobID = store.job.id
            store.close()
            let partial = base + "/out/d/.big.bin.ferry-partial"
            #expect(FileManager.default.fileExists(atPath: partial))
            try between(partial)

            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
            defer { reopened.close() }
            let countingSource = InstrumentedEndpoint(remote)
            let setup = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) {
                $0.kind == .remote ? countingSource as any Endpoint : LocalEndpoint(root: $0.original)
            }
            let summary = setup.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
            return Outcome(summary: summary, readOffsets: countingSource.reads.map(\.1.lowerBound).sorted(),
                           downloaded: FileManager.default.contents(atPath: base + "/out/d/big.bin"),
                           leftovers: treeContents(base + "/out").keys.sorted())
        }
    }

    static let content = patternData(blockSize * 10 + 500, seed: 91)
    static let laterOffsets = (4...10).map { Int64($0 * blockSize) }

    @Test func resumeReadsOnlyMissingBlocksFromTheSource() throws {
        let outcome = try Self.downloadCutAndResume(Self.content, contentMD5: Digests.md5(Self.content))
        #expect(outcome.summary.state == .completed)
        #expect(outcome.downloaded == Self.content)
        #expect(outcome.readOffsets == Self.laterOffsets)  // blocks 4...10 only, each once
        #expect(outcome.leftovers == ["d/big.bin"])
    }

    @Test func md5FedFromThePartialFileStillCatchesAWrongContentMD5() throws {
        let outcome = try Self.downloadCutAndResume(Self.content, contentMD5: Digests.md5(Data("another file".utf8)))
        #expect(outcome.summary.progress.filesFailed == 1)
        #expect(outcome.readOffsets == Self.laterOffsets)
        #expect(outcome.downloaded == nil)
        #expect(outcome.leftovers.isEmpty)  // no file, no partial
    }

    @Test func damagedBlockInThePartialFileIsFetchedAgain() throws {
        let outcome = try Self.downloadCutAndResume(Self.content, contentMD5: Digests.md5(Self.content)) { partial in
            let handle = try #require(FileHandle(forUpdatingAtPath: partial))
            try handle.seek(toOffset: UInt64(Self.blockSize + 10))
            try handle.write(contentsOf: Data(repeating: 0xEE, count: 32))
            try handle.close()
        }
        #expect(outcome.summary.state == .completed)
        #expect(outcome.downloaded == Self.content)
        #expect(outcome.readOffsets == [Int64(Self.blockSize)] + Self.laterOffsets)
    }
}
