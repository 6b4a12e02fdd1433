import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Builds a receipt in memory and reads it back through a file.
func receiptText(_ entries: [ReceiptEntry]) throws -> (text: String, trailer: ReceiptTrailer) {
    var bytes = Data()
    let writer = ReceiptWriter { bytes.append($0) }
    for entry in entries { try writer.add(entry) }
    let trailer = try writer.finish()
    return (String(decoding: bytes, as: UTF8.self), trailer)
}

func readReceipt(_ text: String, in directory: String) throws -> (entries: [ReceiptEntry], trailer: ReceiptTrailer) {
    let path = directory + "/r-\(UInt32.random(in: 0...UInt32.max)).jsonl"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let reader = try ReceiptReader(path: path)
    var entries: [ReceiptEntry] = []
    while let entry = try reader.next() { entries.append(entry) }
    return (entries, try #require(reader.trailer))
}

@Suite struct ReceiptFormatTests {
    static let nfc = "caf\u{E9}.txt"          // é as one code point: 63 61 66 C3 A9
    static let nfd = "cafe\u{301}.txt"        // e + combining acute: 63 61 66 65 CC 81

    @Test func rootHashMatchesTheDocumentedCanonicalForm() throws {
        // Expected value computed independently (Python hashlib over the documented canonical lines).
        let (_, trailer) = try receiptText([ReceiptEntry(path: "a.txt", sizeBytes: 3, crc64: 0x0123_4567_89AB_CDEF),
                                            ReceiptEntry(path: "dir/b.bin", sizeBytes: 0, crc64: 0)])
        #expect(trailer.rootHash == "603972b313894e54a317f05f94678e15e239eb23949ae1eaf86a3e36dcfb81cb")
        #expect(trailer.fileCount == 2 && trailer.totalBytes == 3 && trailer.version == 1)
    }

    @Test func linesHaveTheDocumentedShape() throws {
        let modified = Date(timeIntervalSince1970: 1_700_000_000.25)
        let (text, trailer) = try receiptText([ReceiptEntry(path: "x/\"q\"\n.bin", sizeBytes: 12, crc64: 0xAB,
                                                            md5: Data([0, 1, 0xFE, 0xFF] + [UInt8](repeating: 7, count: 12)),
                                                            etag: "\"0x8D\"", modified: modified)])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[0] == #"{"path":"x/\"q\"\n.bin","size":12,"crc64":"00000000000000ab","md5":"0001feff070707070707070707070707","etag":"\"0x8D\"","mtime":"2023-11-14T22:13:20.250Z"}"#)
        #expect(lines[1] == Substring(#"{"format":"ferry-receipt","version":1,"files":1,"bytes":12,"rootHash":"\#(trailer.rootHash)"}"#))
    }

    @Test func roundTripKeepsEveryField() throws {
        try withTemporaryDirectory { directory in
            let entries = [
                ReceiptEntry(path: "a b/ü.txt", sizeBytes: 5, crc64: UInt64.max, md5: Data(repeating: 0xA5, count: 16),
                             etag: "etag-1", modified: Date(timeIntervalSince1970: 1_000_000_000.5)),
                ReceiptEntry(path: "tab\there", sizeBytes: 0, crc64: 0),
                ReceiptEntry(path: "日本/語.bin", sizeBytes: 1 << 40, crc64: 42, etag: "\"x\""),
            ]
            let (text, written) = try receiptText(entries)
            let (read, trailer) = try readReceipt(text, in: directory)
            #expect(read == entries)
            #expect(trailer == written)
        }
    }

    @Test func nfcAndNfdNamesAreTwoEntriesInByteOrder() throws {
        // Swift's String equality says they are one name; a receipt must keep both, NFD first (0x65 < 0xC3).
        #expect(Self.nfc == Self.nfd)
        let first = ReceiptEntry(path: Self.nfd, sizeBytes: 1, crc64: 1)
        let second = ReceiptEntry(path: Self.nfc, sizeBytes: 2, crc64: 2)
        try withTemporaryDirectory { directory in
            let (text, trailer) = try receiptText([first, second])
            #expect(trailer.fileCount == 2)
            let (read, _) = try readReceipt(text, in: directory)
            #expect(read.count == 2)
            #expect(Array(read[0].path.utf8) == Array(Self.nfd.utf8))
            #expect(Array(read[1].path.utf8) == Array(Self.nfc.utf8))
        }
        // Given in the other order (or the same bytes twice), the writer refuses.
        let writer = ReceiptWriter { _ in }
        try writer.add(second)
        #expect(throws: FerryError.self) { try writer.add(first) }
        #expect(throws: FerryError.self) { try writer.add(second) }
    }

    @Test func byteOrderIsNotSwiftStringOrder() throws {
        // '.' (2E) sorts before '/' (2F): a.txt before a/b; uppercase before lowercase; bytes, not locale.
        let names = ["A", "a.txt", "a/b", "a0", "b", "\u{E9}", "\u{FF21}"]
        let writer = ReceiptWriter { _ in }
        for name in names { try writer.add(ReceiptEntry(path: name, sizeBytes: 0, crc64: 0)) }
        #expect(names == names.sorted { NameOrder.precedes($0, $1) })
    }

    @Test func nameOrderIsMemcmpWithTheShorterFirst() {
        #expect(NameOrder.compare("", "") == 0 && NameOrder.compare("", "a") < 0 && NameOrder.compare("a", "") > 0)
        #expect(NameOrder.compare("ab", "abc") < 0 && NameOrder.compare("abd", "abc") > 0)
        #expect(NameOrder.compare(Self.nfd, Self.nfc) < 0)  // 'e' (65) before 'é' (C3 A9): NFD first
        #expect(!NameOrder.same(Self.nfc, Self.nfd) && Self.nfc == Self.nfd)
        #expect(NameOrder.same("a\u{0}b", "a\u{0}b") && !NameOrder.same("a\u{0}b", "a\u{0}c"))
        // Long (heap) strings too, and byte arrays.
        let long = String(repeating: "x", count: 100)
        #expect(NameOrder.compare(long + "a", long + "b") < 0 && NameOrder.same(long, String(repeating: "x", count: 100)))
        #expect(NameOrder.compare([1, 2], [1, 2, 0]) < 0 && NameOrder.compare([2], [1, 255]) > 0 && NameOrder.compare([], []) == 0)
    }

    @Test func numbersAndHexAreWrittenInFull() {
        var line = ReceiptBytes()
        for value: Int64 in [0, 7, 10, -12, 1_000_000, .max, .min] {
            line.appendDecimal(value)
            line.append(" ")
        }
        line.appendHex(UInt64(0x1))
        line.append(" ")
        line.appendHex(UInt64.max)
        #expect(line.text == "0 7 10 -12 1000000 9223372036854775807 -9223372036854775808 0000000000000001 ffffffffffffffff")
    }

    @Test func rootHashIgnoresMtimeEtagAndMD5() throws {
        let plain = [ReceiptEntry(path: "a", sizeBytes: 1, crc64: 10), ReceiptEntry(path: "b", sizeBytes: 2, crc64: 20)]
        var decorated = plain
        decorated[0].modified = Date(timeIntervalSince1970: 1)
        decorated[0].etag = "\"one\""
        decorated[1].modified = Date(timeIntervalSince1970: 2_000_000_000)
        decorated[1].md5 = Data(repeating: 1, count: 16)
        let one = try receiptText(plain)
        let two = try receiptText(decorated)
        #expect(one.text != two.text)
        #expect(one.trailer == two.trailer)
    }

    @Test func rootHashCoversPathSizeAndCRC() throws {
        let base = try receiptText([ReceiptEntry(path: "a", sizeBytes: 1, crc64: 10)]).trailer.rootHash
        #expect(try receiptText([ReceiptEntry(path: "b", sizeBytes: 1, crc64: 10)]).trailer.rootHash != base)
        #expect(try receiptText([ReceiptEntry(path: "a", sizeBytes: 2, crc64: 10)]).trailer.rootHash != base)
        #expect(try receiptText([ReceiptEntry(path: "a", sizeBytes: 1, crc64: 11)]).trailer.rootHash != base)
        // The length prefix keeps "a 1" + size 1 apart from "a" + a different split.
        #expect(try receiptText([ReceiptEntry(path: "a 1", sizeBytes: 1, crc64: 10)]).trailer.rootHash != base)
    }
}

@Suite struct ReceiptTimestampTests {
    @Test func jsonStringsEscapeControlBytesAndKeepUTF8Raw() {
        #expect(ReceiptJSON.quoted("a\u{1}b\u{1F}\u{7F}\t\\\"") == "\"a\\u0001b\\u001f\u{7F}\\t\\\\\\\"\"")
        // NFC and NFD stay their own bytes.
        #expect(Array(ReceiptJSON.quoted(ReceiptFormatTests.nfd).utf8) == [34] + Array(ReceiptFormatTests.nfd.utf8) + [34])
        #expect(ReceiptJSON.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test func timestampsRoundTripToTheMillisecond() throws {
        for seconds in [0.0, 1_700_000_000.25, 951_782_400.999, -1.5, 4_102_444_800.0] {
            let text = ReceiptJSON.timestamp(Date(timeIntervalSince1970: seconds))
            let parsed = try #require(ReceiptJSON.date(text), "\(text)")
            #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.0011, "\(text)")
        }
        #expect(ReceiptJSON.timestamp(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(ReceiptJSON.date("2026-12-04T17:07:47Z")?.timeIntervalSince1970 == 1_796_404_067)
        for bad in ["2026-12-04 17:07:47Z", "2026-13-04T17:07:47Z", "2026-12-04T17:07:47", "2026-12-04T17:07:47.Z", "x"] {
            #expect(ReceiptJSON.date(bad) == nil, "\(bad)")
        }
    }
}
