import Foundation
import Testing
@testable import FerryKit

@Suite struct ReceiptReaderTests {
    static func sample() throws -> String {
        try receiptText([ReceiptEntry(path: "a.txt", sizeBytes: 3, crc64: 0xAAAA),
                         ReceiptEntry(path: "b/c.bin", sizeBytes: 1000, crc64: 0xBBBB, etag: "e"),
                         ReceiptEntry(path: "d", sizeBytes: 7, crc64: 0xDDDD)]).text
    }

    /// Reading `text` fails with a usage error whose one-line message contains `expected`.
    static func expectRejected(_ text: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try withTemporaryDirectory { directory in
            do {
                _ = try readReceipt(text, in: directory)
                Issue.record("accepted a bad receipt (\(expected))", sourceLocation: sourceLocation)
            } catch let error as FerryError {
                #expect(error.code == .usage, sourceLocation: sourceLocation)
                #expect(error.message.contains(expected), "\(error.message)", sourceLocation: sourceLocation)
                #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
            }
        }
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func acceptsTheUntouchedReceipt() throws {
        try withTemporaryDirectory { directory in
            let (entries, trailer) = try readReceipt(try Self.sample(), in: directory)
            #expect(entries.map(\.path) == ["a.txt", "b/c.bin", "d"])
            #expect(trailer.fileCount == 3 && trailer.totalBytes == 1010)
        }
    }

    @Test func rejectsAChangedCRC() throws {
        try Self.expectRejected(try Self.sample().replacingOccurrences(of: "000000000000bbbb", with: "000000000000bbbc"),
                                "root hash that does not match")
    }

    @Test func rejectsAChangedSizeOrPath() throws {
        try Self.expectRejected(try Self.sample().replacingOccurrences(of: "\"size\":7,", with: "\"size\":8,"), "(it was changed)")
        try Self.expectRejected(try Self.sample().replacingOccurrences(of: "\"path\":\"d\"", with: "\"path\":\"e\""),
                                "root hash that does not match")
    }

    @Test func acceptsChangedInformativeFieldsButNotOthers() throws {
        // mtime/etag are not covered by the root hash (documented): editing one keeps the receipt valid.
        try withTemporaryDirectory { directory in
            let edited = try Self.sample().replacingOccurrences(of: "\"etag\":\"e\"", with: "\"etag\":\"f\"")
            #expect(try readReceipt(edited, in: directory).entries[1].etag == "f")
        }
    }

    @Test func rejectsAMissingLineAndARecomputedTrailerThatDisagreesWithTheCounts() throws {
        var lines = Self.lines(try Self.sample())
        lines.remove(at: 1)
        try Self.expectRejected(lines.joined(separator: "\n") + "\n", "says 3 file(s)")
    }

    @Test func rejectsReorderedLines() throws {
        var lines = Self.lines(try Self.sample())
        lines.swapAt(0, 1)
        try Self.expectRejected(lines.joined(separator: "\n") + "\n", "not sorted by path bytes")
    }

    @Test func rejectsATruncatedReceipt() throws {
        let lines = Self.lines(try Self.sample())
        try Self.expectRejected(lines.dropLast().joined(separator: "\n") + "\n", "truncated")
        try Self.expectRejected("", "is empty")
    }

    @Test func rejectsLinesAfterTheTrailerAndGarbage() throws {
        let sample = try Self.sample()
        try Self.expectRejected(sample + #"{"path":"z","size":1,"crc64":"0000000000000001"}"# + "\n", "after its final line")
        try Self.expectRejected("not json\n" + sample, "line 1 is not a JSON object")
        try Self.expectRejected(sample.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), "format version 2")
        try Self.expectRejected(sample.replacingOccurrences(of: "000000000000aaaa", with: "AAAA"), "no valid 'crc64'")
        try Self.expectRejected(sample.replacingOccurrences(of: "\"size\":3,", with: "\"size\":\"3\","), "no valid 'size'")
        try Self.expectRejected(sample.replacingOccurrences(of: "\"size\":3,", with: "\"size\":-3,"), "no valid 'size'")
    }

    @Test func rejectsAPathListedTwice() throws {
        let entry = try receiptText([ReceiptEntry(path: "a", sizeBytes: 1, crc64: 1)])
        let line = Self.lines(entry.text)[0]
        try Self.expectRejected(line + "\n" + line + "\n" + Self.lines(entry.text)[1] + "\n", "lists 'a' twice")
    }
}
