import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// A remote-looking endpoint whose listing comes out of byte order (as SeaweedFS lists), with
/// stored CRC-64s on some objects; bytes are served from memory. Not HTTP: the staging and
/// ordering logic is what is under test here (the live tests run the real servers).
struct UnorderedStoreEndpoint: Endpoint {
    var objects: [(path: String, bytes: Data, storedCRC: Bool)]
    /// Listed 2 bytes longer than it reads (an object that shrank after the listing).
    var shrunk: String? = nil
    /// Claims to list in byte order (as Azure does) whatever order `objects` is in.
    var claimsByteOrder = false
    var redactedDescription: String { "memory://unordered" }
    var capabilities: EndpointCapabilities {
        EndpointCapabilities(storesContentMD5: false, listsStagedBlocks: false, minimumBlockSizeBytes: 0,
                             maximumBlockCount: 1, maximumBlockSizeBytes: 1 << 30, isRemote: true,
                             listsInByteOrder: claimsByteOrder)
    }

    struct Listing: ObjectListing {
        var infos: [ObjectInfo]
        mutating func next() throws -> ObjectInfo? { infos.isEmpty ? nil : infos.removeFirst() }
    }

    func info(_ object: (path: String, bytes: Data, storedCRC: Bool)) -> ObjectInfo {
        ObjectInfo(path: object.path, sizeBytes: Int64(object.bytes.count) + (shrunk == object.path ? 2 : 0), crc64: object.storedCRC ? CRC64.checksum(object.bytes) : nil,
                   etag: "etag-\(object.path.utf8.count)")
    }

    func list(prefix: String, recursive: Bool) throws -> any ObjectListing { Listing(infos: objects.map(info)) }
    func stat(_ path: String) throws -> ObjectInfo? {
        objects.first { NameOrder.same($0.path, path) }.map(info)
    }
    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer, meter: any TransferMeter) throws -> Int {
        guard let object = objects.first(where: { NameOrder.same($0.path, path) }) else {
            throw FerryError(.notFound, "no \(path)", disposition: .skipItem)
        }
        let slice = object.bytes[Int(range.lowerBound)..<min(object.bytes.count, Int(range.upperBound))]
        slice.copyBytes(to: buffer)
        return slice.count
    }
    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        throw FerryError(.internal, "read-only", disposition: .abortJob)
    }
    func delete(_ path: String) throws {}
}

@Suite struct LocationReceiptTests {
    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func entries(_ path: String) throws -> [ReceiptEntry] {
        let reader = try ReceiptReader(path: path)
        var entries: [ReceiptEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }

    @Test func localDirectoryReceiptReadsEveryFileAndSortsByBytes() throws {
        try withTemporaryDirectory { base in
            let tree = base + "/tree"
            // Not a Dictionary: Swift would take the NFC and NFD names for one key.
            let files = [("b.txt", "bee"), ("a/x.bin", String(repeating: "x", count: 3_000_001)), ("a.txt", ""),
                         (ReceiptFormatTests.nfc, "composed"), (ReceiptFormatTests.nfd, "decomposed")]
            for (name, text) in files { try Self.write(tree + "/" + name, text) }
            let output = base + "/r.jsonl"
            let outcome = try LocationReceipt.write(endpoint: LocalEndpoint(root: tree), readBytes: false, workerCount: 3, to: output)
            let entries = try Self.entries(output)
            #expect(outcome.trailer.fileCount == 5)
            #expect(entries.map { Array($0.path.utf8) } == files.map { Array($0.0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
            for entry in entries {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: tree + "/" + entry.path))
                #expect(entry.crc64 == CRC64.checksum(bytes), "\(entry.path)")
                #expect(entry.sizeBytes == Int64(bytes.count))
                #expect(entry.modified != nil)
            }
        }
    }

    @Test func sameTreeWithOtherMtimesHasTheSameRootHash() throws {
        try withTemporaryDirectory { base in
            for (machine, seconds) in [("one", 1_000_000.0), ("two", 1_900_000_000.0)] {
                try Self.write("\(base)/\(machine)/d/f.txt", "same bytes")
                try Self.write("\(base)/\(machine)/g.txt", "more")
                for name in ["d/f.txt", "g.txt"] {
                    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)],
                                                          ofItemAtPath: "\(base)/\(machine)/\(name)")
                }
            }
            let one = try LocationReceipt.write(endpoint: LocalEndpoint(root: base + "/one"), readBytes: false, workerCount: 2,
                                                to: base + "/one.jsonl")
            let two = try LocationReceipt.write(endpoint: LocalEndpoint(root: base + "/two"), readBytes: false, workerCount: 2,
                                                to: base + "/two.jsonl")
            #expect(one.trailer == two.trailer)
            let oneText = try String(contentsOfFile: base + "/one.jsonl", encoding: .utf8)
            let twoText = try String(contentsOfFile: base + "/two.jsonl", encoding: .utf8)
            #expect(oneText != twoText)  // the mtimes differ…
            #expect(oneText.split(separator: "\n").last == twoText.split(separator: "\n").last)  // …the last line does not
        }
    }

    @Test func unorderedRemoteListingIsSortedAndMissingCRCsAreComputed() throws {
        let objects: [(path: String, bytes: Data, storedCRC: Bool)] = [
            ("z/last", Data("zz".utf8), true), (ReceiptFormatTests.nfc, Data("c".utf8), false),
            ("a", Data("aaa".utf8), true), (ReceiptFormatTests.nfd, Data("d".utf8), false), ("m", Data(), false),
        ]
        let endpoint = UnorderedStoreEndpoint(objects: objects)
        try withTemporaryDirectory { base in
            let outcome = try LocationReceipt.write(endpoint: endpoint, readBytes: false, workerCount: 2, to: base + "/r.jsonl")
            #expect(outcome.checkedObjects == 3)  // the three without a stored CRC-64
            let entries = try Self.entries(base + "/r.jsonl")
            #expect(entries.map { Array($0.path.utf8) }
                    == ["a", ReceiptFormatTests.nfd, ReceiptFormatTests.nfc, "m", "z/last"].map { Array($0.utf8) })
            #expect(entries.map { Array($0.path.utf8) } == objects.map { Array($0.path.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
            for entry in entries {
                let object = try #require(objects.first { NameOrder.same($0.path, entry.path) })
                #expect(entry.crc64 == CRC64.checksum(object.bytes))
                #expect(entry.etag == "etag-\(entry.path.utf8.count)")
            }
            let read = try LocationReceipt.write(endpoint: endpoint, readBytes: true, workerCount: 2, to: base + "/read.jsonl")
            #expect(read.checkedObjects == 5 && read.trailer == outcome.trailer)
        }
    }

    @Test func anObjectThatCannotBeChecksummedIsNamedAndNoReceiptIsWritten() throws {
        var endpoint = UnorderedStoreEndpoint(objects: [("b", Data("bb".utf8), false), ("a", Data("aaa".utf8), false)])
        endpoint.shrunk = "b"
        try withTemporaryDirectory { base in
            do {
                _ = try LocationReceipt.write(endpoint: endpoint, readBytes: false, workerCount: 2, to: base + "/r.jsonl")
                Issue.record("a receipt was written although 'b' could not be read")
            } catch let error as FerryError {
                #expect(error.message.contains("'b' could not be checksummed"), "\(error.message)")
            }
            #expect(!FileManager.default.fileExists(atPath: base + "/r.jsonl"))
            // verify reports it as unreadable (the receipt lists it with the size the listing says).
            endpoint.shrunk = nil
            _ = try LocationReceipt.write(endpoint: endpoint, readBytes: false, workerCount: 2, to: base + "/r.jsonl")
            var problems: [ReceiptProblem] = []
            var shrinking = endpoint
            shrinking.objects[0].bytes = Data()  // listed as 0 + 2 bytes, the receipt's size; reads 0
            shrinking.shrunk = "b"
            let summary = try ReceiptVerification.run(receiptPath: base + "/r.jsonl", endpoint: shrinking, readBytes: true,
                                                      workerCount: 2) { problems.append($0) }
            #expect(summary.unreadable == 1 && summary.matched == 1)
            #expect(problems.map(\.kind) == [.unreadable] && problems.map(\.path) == ["b"])
        }
    }
}
