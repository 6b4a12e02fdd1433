import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Downloads whose blocks stream from the source into the local partial file (no block buffer):
/// when the engine takes that path, and that it keeps the buffered path's promises.
@Suite struct StreamedDownloadTests {
    static let blockSize = RemoteStoreTests.blockSize

    static func download(_ source: StreamingMemorySource, to destination: String, home: String,
                         options: TransferOptions = RemoteStoreTests.options()) throws -> JobSummary {
        let (summary, store) = try runLocalCopy(source: "http://127.0.0.1:1/acct/c/data", destination: destination,
                                                options: options, home: FerryHome(path: home),
                                                open: { $0.kind == .remote ? source as any Endpoint : LocalEndpoint(root: $0.original) })
        store.close()
        return summary
    }

    @Test func multiBlockFilesStreamEveryBlockOnceAndArriveIntact() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let big = patternData(Self.blockSize * 9 + 17, seed: 21)
            memory.put("big.bin", big, crc64: CRC64.checksum(big))
            let source = StreamingMemorySource(memory)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/out/data/big.bin") == big)
            #expect(source.readCalls == 0)
            let starts = source.streamCalls.map(\.lowerBound).sorted()
            #expect(starts == (0..<10).map { Int64($0 * Self.blockSize) })
        }
    }

    @Test func aStreamCutHalfwayIsSentAgainFromTheBlockStart() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let big = patternData(Self.blockSize * 4 + 3, seed: 22)
            memory.put("big.bin", big, crc64: CRC64.checksum(big))
            let cutAt = Int64(Self.blockSize * 2)
            let source = StreamingMemorySource(memory, cutFirstStreamAt: cutAt)
            var options = RemoteStoreTests.options()
            options.concurrency = 2
            let summary = try Self.download(source, to: base + "/out", home: base + "/home", options: options)
            #expect(summary.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/out/data/big.bin") == big)
            #expect(source.streamCalls.filter { $0.lowerBound == cutAt }.count == 2)
            #expect(source.streamCalls.count == 6)
        }
    }

    @Test func bytesThatDoNotMatchTheRecordedCRCNeverTakeTheName() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let good = patternData(Self.blockSize * 3 + 5, seed: 23)
            let bad = patternData(Self.blockSize * 3 + 5, seed: 24)
            memory.put("bad.bin", bad, crc64: CRC64.checksum(good))
            let source = StreamingMemorySource(memory)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.state == .completedWithFailures)
            #expect(summary.progress.filesFailed == 1)
            #expect(!source.streamCalls.isEmpty)
            // No file under the name, and no hidden partial file either.
            #expect(treeContents(base + "/out").isEmpty)
        }
    }

    @Test func aListingWithoutChecksumsIsCheckedAgainstTheObjectsOwnCRCBeforeTheRename() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let good = patternData(Self.blockSize * 3 + 5, seed: 26)
            let bad = patternData(Self.blockSize * 3 + 5, seed: 28)  // seeds differ beyond bit 0
            memory.put("good.bin", good, crc64: CRC64.checksum(good))
            memory.put("bad.bin", bad, crc64: CRC64.checksum(good))
            let source = StreamingMemorySource(memory, listsChecksums: false)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.progress.filesFailed == 1)
            #expect(treeContents(base + "/out").keys.sorted() == ["data/good.bin"])
        }
    }

    @Test func aStoredMD5ToCheckKeepsTheBufferedInOrderPath() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let big = patternData(Self.blockSize * 5 + 1, seed: 25)
            memory.put("big.bin", big, contentMD5: Digests.md5(big))
            let source = StreamingMemorySource(memory)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/out/data/big.bin") == big)
            #expect(source.streamCalls.isEmpty)
            #expect(source.readCalls == 6)
        }
    }
}
