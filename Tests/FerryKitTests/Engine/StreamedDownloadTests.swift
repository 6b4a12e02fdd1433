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

    // Files that fit one request stream too: into an unnamed file that is named only once checked.

    @Test func wholeFilesStreamWithoutABufferAndLeaveNoWorkFiles() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            var expected: [String: Data] = [:]
            for (index, size) in [0, 1, 4_095, Self.blockSize - 1, Self.blockSize].enumerated() {
                let data = patternData(size, seed: UInt64(40 + 2 * index))
                memory.put("f\(index).bin", data, crc64: CRC64.checksum(data))
                expected["data/f\(index).bin"] = data
            }
            let source = StreamingMemorySource(memory, pieceBytes: 1_000)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.state == .completed)
            #expect(summary.progress.filesDone == 5)
            #expect(treeContents(base + "/out") == expected)  // and nothing hidden beside them
            #expect(source.readCalls == 0)
            #expect(source.streamCalls.count == 4)  // the empty file needs no request
        }
    }

    @Test func aWholeFileStreamCutHalfwayStartsAgainAtByteZero() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let data = patternData(Self.blockSize - 3, seed: 50)
            memory.put("one.bin", data, crc64: CRC64.checksum(data))
            let source = StreamingMemorySource(memory, pieceBytes: 1_000, cutFirstStreamAt: 0)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.state == .completed)
            #expect(treeContents(base + "/out") == ["data/one.bin": data])
            #expect(source.streamCalls == [0..<Int64(data.count), 0..<Int64(data.count)])
        }
    }

    @Test func aWholeFileWithTheWrongCRCOrMD5NeverTakesTheName() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let good = patternData(Self.blockSize / 2, seed: 52)
            let other = patternData(Self.blockSize / 2, seed: 54)
            memory.put("good.bin", good, contentMD5: Digests.md5(good), crc64: CRC64.checksum(good))
            memory.put("bad-crc.bin", other, crc64: CRC64.checksum(good))
            memory.put("bad-md5.bin", other, contentMD5: Digests.md5(good))
            let source = StreamingMemorySource(memory)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home")
            #expect(summary.progress.filesFailed == 2)
            #expect(treeContents(base + "/out") == ["data/good.bin": good])
            #expect(source.readCalls == 0)  // the MD5 is computed on the stream, in order
        }
    }

    @Test func aStreamedWholeFileNeverReplacesAFileThatMustStay() throws {
        try withTemporaryDirectory { base in
            let memory = MemoryEndpoint()
            let incoming = patternData(5_000, seed: 56)
            memory.put("kept.bin", incoming, crc64: CRC64.checksum(incoming))
            try FileManager.default.createDirectory(atPath: base + "/out/data", withIntermediateDirectories: true)
            let existing = Data("already here".utf8)
            #expect(FileManager.default.createFile(atPath: base + "/out/data/kept.bin", contents: existing))
            let source = StreamingMemorySource(memory)
            let summary = try Self.download(source, to: base + "/out", home: base + "/home",
                                            options: RemoteStoreTests.options { $0.overwrite = .never })
            #expect(summary.progress.filesSkipped == 1)
            #expect(treeContents(base + "/out") == ["data/kept.bin": existing])
        }
    }
}
