import Foundation
import Testing
@testable import FerryKit

@Suite struct ManifestReceiptTests {
    @Test func receiptListsDoneAndCheckedSkippedFilesByDestinationPathBytes() throws {
        try withTemporaryDirectory { base in
            let home = FerryHome(path: base + "/home")
            let store = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-r", created: Date(), commandLine: "ferry copy",
                                                                                  spec: ManifestStoreTests.spec()))
            let mtime = Date(timeIntervalSinceReferenceDate: 700_000_000.125)
            func plan(_ source: String, _ destination: String, _ size: Int64) -> FilePlan {
                FilePlan(sourcePath: source, destinationPath: destination, sizeBytes: size, lastModified: mtime, blockSizeBytes: 10)
            }
            store.addFiles([FileRecord(id: 1, plan: plan("z", "corpus/z", 5)),
                            FileRecord(id: 2, plan: plan("nfc", "corpus/" + ReceiptFormatTests.nfc, 1)),
                            FileRecord(id: 3, plan: plan("nfd", "corpus/" + ReceiptFormatTests.nfd, 2)),
                            FileRecord(id: 4, plan: plan("failed", "corpus/failed", 3)),
                            FileRecord(id: 5, plan: plan("unchanged", "corpus/unchanged", 4)),
                            FileRecord(id: 6, plan: plan("exists", "corpus/exists", 6))], scanCursor: nil)
            store.finishFile(fileID: 1, state: .done, crc64: 0xF00D, md5: Data(repeating: 9, count: 16), error: nil)
            store.finishFile(fileID: 2, state: .done, crc64: 2, md5: nil, error: nil)
            store.finishFile(fileID: 3, state: .done, crc64: 3, md5: nil, error: nil)
            store.finishFile(fileID: 4, state: .failed, crc64: nil, md5: nil, error: FerryError(.network, "x", disposition: .skipItem))
            store.finishFile(fileID: 5, state: .skipped, crc64: 55, md5: nil, error: nil)   // a sync's unchanged file
            store.finishFile(fileID: 6, state: .skipped, crc64: nil, md5: nil, error: nil)  // --overwrite false: not checked
            let path = home.receiptPath(jobID: "job-r")
            let trailer = try store.writeReceipt(to: path)
            store.close()

            let entries = try LocationReceiptTests.entries(path)
            #expect(trailer.fileCount == 4 && trailer.totalBytes == 12)
            #expect(entries.map { Array($0.path.utf8) } == ["corpus/z", "corpus/" + ReceiptFormatTests.nfc, "corpus/" + ReceiptFormatTests.nfd,
                                                            "corpus/unchanged"].map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
            let z = try #require(entries.last)
            #expect(z.path == "corpus/z" && z.crc64 == 0xF00D && z.md5 == Data(repeating: 9, count: 16))
            #expect(abs((z.modified?.timeIntervalSince1970 ?? 0) - mtime.timeIntervalSince1970) < 0.001)
            #expect(entries.first { $0.path == "corpus/unchanged" }?.crc64 == 55)
            #expect(path.hasSuffix("/jobs/job-r.receipt.jsonl"))
        }
    }

    /// Rows recorded in byte order are read in record order; a path recorded twice (the second
    /// row later, and in order-breaking position) sends the receipt to the ordered query, where
    /// the latest row wins — and the first attempt's temporary file is gone.
    @Test func recordOrderReceiptsAndTheirFallbackAgree() throws {
        try withTemporaryDirectory { base in
            func receipt(_ rows: [(Int64, String, UInt64)]) throws -> [ReceiptEntry] {
                let home = FerryHome(path: base + "/home-\(rows.count)")
                let store = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "j", created: Date(), commandLine: "ferry sync",
                                                                                      spec: ManifestStoreTests.spec()))
                store.addFiles(rows.map { FileRecord(id: $0.0, plan: FilePlan(sourcePath: $0.1, destinationPath: "d/" + $0.1, sizeBytes: 1,
                                                                             lastModified: nil, blockSizeBytes: 10)) }, scanCursor: nil)
                for (id, _, crc) in rows { store.finishFile(fileID: id, state: .done, crc64: crc, md5: nil, error: nil) }
                let path = home.receiptPath(jobID: "j")
                _ = try store.writeReceipt(to: path)
                store.close()
                let folder = (path as NSString).deletingLastPathComponent
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("ferry-partial") }
                #expect(leftovers.isEmpty)
                return try LocationReceiptTests.entries(path)
            }
            let inOrder = try receipt([(1, "a", 1), (2, "a/b", 2), (3, "a0", 3), (4, ReceiptFormatTests.nfd, 4), (5, ReceiptFormatTests.nfc, 5)])
            #expect(inOrder.map(\.crc64) == [1, 2, 3, 4, 5])
            let twice = try receipt([(1, "a", 1), (2, "b", 2), (3, "a", 9)])
            #expect(twice.map(\.path) == ["d/a", "d/b"] && twice.map(\.crc64) == [9, 2])
        }
    }
}
