import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Uploads and downloads against an in-memory store that behaves like a remote one.
@Suite struct RemoteStoreTests {
    static let blockSize = 64 << 10

    static func options(_ configure: (inout TransferOptions) -> Void = { _ in }) -> TransferOptions {
        var options = TransferOptions()
        options.recursive = true
        options.blockSizeBytes = blockSize
        options.concurrency = 4
        configure(&options)
        return options
    }

    static func run(source: String, destination: String, options: TransferOptions, home: String,
                    remote: MemoryEndpoint) throws -> JobSummary {
        let (summary, store) = try runLocalCopy(source: source, destination: destination, options: options,
                                                home: FerryHome(path: home),
                                                open: { $0.kind == .remote ? remote as any Endpoint : LocalEndpoint(root: $0.original) })
        store.close()
        return summary
    }

    @Test func uploadStoresCombinedCRCAndInOrderMD5() throws {
        try withTemporaryDirectory { base in
            let big = patternData(Self.blockSize * 9 + 17, seed: 11)
            let small = patternData(100, seed: 12)
            try writeFile(base + "/corpus/big.bin", big)
            try writeFile(base + "/corpus/small.bin", small)
            let remote = MemoryEndpoint()
            let summary = try Self.run(source: base + "/corpus", destination: "http://127.0.0.1:1/acct/c/data",
                                       options: Self.options { $0.putMD5 = true }, home: base + "/home", remote: remote)
            #expect(summary.state == .completed)
            let stored = try #require(remote.object("corpus/big.bin"))
            #expect(stored.data == big)
            #expect(stored.properties?.crc64 == CRC64.checksum(big))
            #expect(stored.properties?.contentMD5 == Digests.md5(big))
            #expect(remote.object("corpus/small.bin")?.properties?.contentMD5 == Digests.md5(small))
        }
    }

    @Test func downloadWithWrongCRCFailsAndLeavesNoFile() throws {
        try withTemporaryDirectory { base in
            let remote = MemoryEndpoint()
            let good = patternData(Self.blockSize * 3 + 5, seed: 1)
            let bad = patternData(Self.blockSize * 3 + 5, seed: 2)
            remote.put("good.bin", good, crc64: CRC64.checksum(good))
            remote.put("bad.bin", bad, crc64: CRC64.checksum(good))  // claims another file's CRC
            remote.put("bad-small.bin", Data("abc".utf8), crc64: 12345)
            let summary = try Self.run(source: "http://127.0.0.1:1/acct/c/data", destination: base + "/out",
                                       options: Self.options(), home: base + "/home", remote: remote)
            #expect(summary.state == .completedWithFailures)
            #expect(summary.progress.filesFailed == 2)
            #expect(FileManager.default.contents(atPath: base + "/out/data/good.bin") == good)
            // Nothing in place of the bad files, not even a hidden partial.
            #expect(treeContents(base + "/out").keys.sorted() == ["data/good.bin"])
        }
    }

    @Test func downloadChecksContentMD5PerMode() throws {
        try withTemporaryDirectory { base in
            let remote = MemoryEndpoint()
            let data = patternData(Self.blockSize * 2 + 1, seed: 5)
            remote.put("wrong.bin", data, contentMD5: Digests.md5(Data("other".utf8)))
            remote.put("none.bin", Data("no md5".utf8))
            let strict = try Self.run(source: "http://127.0.0.1:1/acct/c/d", destination: base + "/strict",
                                      options: Self.options(), home: base + "/home", remote: remote)
            #expect(strict.progress.filesFailed == 1)  // wrong MD5 fails; a missing one passes
            #expect(treeContents(base + "/strict").keys.sorted() == ["d/none.bin"])
            let missing = try Self.run(source: "http://127.0.0.1:1/acct/c/d", destination: base + "/missing",
                                       options: Self.options { $0.checkMD5 = .failIfDifferentOrMissing },
                                       home: base + "/home", remote: remote)
            #expect(missing.progress.filesFailed == 2)
            let logOnly = try Self.run(source: "http://127.0.0.1:1/acct/c/d", destination: base + "/log",
                                       options: Self.options { $0.checkMD5 = .logOnly }, home: base + "/home", remote: remote)
            #expect(logOnly.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/log/d/wrong.bin") == data)
        }
    }

    @Test func uploadResumeTrustsOnlyBlocksTheStoreStillHolds() throws {
        try withTemporaryDirectory { base in
            let content = patternData(Self.blockSize * 6, seed: 21)
            try writeFile(base + "/src/m.bin", content)
            let remote = MemoryEndpoint()
            let failing = InstrumentedEndpoint(remote)
            failing.failStage = (3, FerryError(.authenticationFailed, "expired", disposition: .abortJob))
            let home = FerryHome(path: base + "/home")
            let options = Self.options { $0.concurrency = 1 }
            let setup = try JobSetup.newCopy(source: base + "/src/m.bin", destination: "http://127.0.0.1:1/acct/c/m.bin",
                                             options: options) { $0.kind == .remote ? failing as any Endpoint : LocalEndpoint(root: $0.original) }
            let store = try setup.createStore(home: home, commandLine: ["ferry"])
            let first = setup.makeEngine(store: store, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(first.state == .failed)
            #expect(remote.stagedBlockCount("") == 3)
            remote.loseOneStagedBlock("")
            let jobID = store.job.id
            store.close()

            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
            defer { reopened.close() }
            let counting = InstrumentedEndpoint(LocalEndpoint(root: base + "/src/m.bin"))
            let resumed = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) {
                $0.kind == .remote ? remote as any Endpoint : counting
            }
            let second = resumed.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(second.state == .completed)
            #expect(remote.object("")?.data == content)
            #expect(counting.reads.count == 4)  // the lost block and blocks 3, 4, 5 only
        }
    }

    /// S3 lists parts by number, not by Ferry's block IDs: the engine matches them by position.
    @Test func uploadResumeMatchesPositionalStagedBlocks() throws {
        try withTemporaryDirectory { base in
            let content = patternData(Self.blockSize * 6, seed: 22)
            try writeFile(base + "/src/m.json", content)
            let remote = MemoryEndpoint(listsByPosition: true)
            let failing = InstrumentedEndpoint(remote)
            failing.failStage = (3, FerryError(.authenticationFailed, "expired", disposition: .abortJob))
            let home = FerryHome(path: base + "/home")
            let options = Self.options { $0.concurrency = 1 }
            let setup = try JobSetup.newCopy(source: base + "/src/m.json", destination: "http://127.0.0.1:1/acct/c/m.json",
                                             options: options) { $0.kind == .remote ? failing as any Endpoint : LocalEndpoint(root: $0.original) }
            let store = try setup.createStore(home: home, commandLine: ["ferry"])
            let first = setup.makeEngine(store: store, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(first.state == .failed)
            // The writer learnt the content type before any block (S3 fixes it at CreateMultipartUpload).
            #expect(remote.writePlans[""]?.properties.contentType != nil)
            #expect(remote.writePlans[""]?.properties.crc64 == nil)
            #expect(remote.stagedBlockCount("") == 3)
            remote.loseOneStagedBlock("")
            let jobID = store.job.id
            store.close()

            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
            defer { reopened.close() }
            let counting = InstrumentedEndpoint(LocalEndpoint(root: base + "/src/m.json"))
            let resumed = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) {
                $0.kind == .remote ? remote as any Endpoint : counting
            }
            let second = resumed.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(second.state == .completed)
            #expect(remote.object("")?.data == content)
            #expect(counting.reads.count == 4)  // the lost block and blocks 3, 4, 5 only
            // What the upload was created with is what the commit stored.
            #expect(remote.writePlans[""]?.properties.contentType == remote.object("")?.properties?.contentType)
        }
    }
}
