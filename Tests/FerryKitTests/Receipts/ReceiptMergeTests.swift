import Foundation
import Testing
@testable import FerryKit

@Suite struct ReceiptMergeTests {
    /// Names whose UTF-8 byte order differs from Swift's String order: NFC and NFD spellings of one
    /// name (equal as Strings, two files as bytes), NFD `é` + `b` (byte 0x65 first) against NFC `é`
    /// + `a` (String order puts it first), '.' (2E) before '/' (2F), upper case before lower case.
    /// Pairs, not a `[String: Int]`: a String-keyed dictionary takes the NFC and NFD names for one key.
    static let tree: [(name: String, sizeBytes: Int)] = [
        ("caf\u{E9}.txt", 11), ("cafe\u{301}.txt", 12),
        ("e\u{301}b.bin", 3), ("\u{E9}a.bin", 4),
        ("a.txt", 5), ("a/b.txt", 6), ("a/c/d.bin", 70_003), ("Z.txt", 1), ("empty", 0),
        ("space name/\u{FC}.txt", 999), ("\u{FF5E}wave", 7), ("\u{1F600}smile", 8),
    ]

    /// Writes `names` under `root` (contents from the name), returns the receipt file of `root`.
    static func receipt(of names: [String], root: String, output: String) throws -> ReceiptTrailer {
        for name in names {
            let sizeBytes = tree.first { NameOrder.same($0.name, name) }!.sizeBytes
            try writeFile(root + "/" + name, Data(repeating: UInt8(name.utf8.count & 0xFF), count: sizeBytes))
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return try LocationReceipt.write(endpoint: LocalEndpoint(root: root), readBytes: false, workerCount: 2, to: output).trailer
    }

    @Test func mergedReceiptOfThreeDisjointPartsIsTheReceiptOfTheWholeTree() throws {
        try withTemporaryDirectory { base in
            let names = Self.tree.map(\.name).sorted { NameOrder.precedes($0, $1) }
            let whole = try Self.receipt(of: names, root: base + "/whole", output: base + "/whole.jsonl")
            // Three parts, interleaved in byte order so each input's entries fall between the others'.
            var parts: [String] = []
            for part in 0..<3 {
                let share = names.enumerated().filter { $0.offset % 3 == part }.map(\.element)
                _ = try Self.receipt(of: share, root: base + "/part\(part)", output: base + "/part\(part).jsonl")
                parts.append(base + "/part\(part).jsonl")
            }
            let merged = try ReceiptMerge.merge(inputs: [parts[2], parts[0], parts[1]], to: base + "/merged.jsonl")
            #expect(merged == whole)
            #expect(merged.fileCount == Int64(Self.tree.count))
            // Entry for entry the same paths, sizes and CRC-64s in the same order (mtimes may differ).
            let mergedEntries = try Self.entries(base + "/merged.jsonl"), wholeEntries = try Self.entries(base + "/whole.jsonl")
            #expect(mergedEntries.map { Array($0.path.utf8) } == wholeEntries.map { Array($0.path.utf8) })
            #expect(mergedEntries.map(\.crc64) == wholeEntries.map(\.crc64))
            #expect(try ReceiptReader.check(path: base + "/merged.jsonl") == whole)
            // Swift's String order would have put NFC `éa` before NFD `éb`; bytes put NFD first.
            let paths = mergedEntries.map(\.path)
            #expect(paths.firstIndex { NameOrder.same($0, "e\u{301}b.bin") }! < paths.firstIndex { NameOrder.same($0, "\u{E9}a.bin") }!)
        }
    }

    @Test func aPathInTwoInputsIsRefusedNamingBothAndLeavesNoOutput() throws {
        try withTemporaryDirectory { base in
            let one = base + "/one.jsonl", two = base + "/two.jsonl", output = base + "/merged.jsonl"
            // "caf\u{E9}.txt" and "cafe\u{301}.txt" are different paths: no overlap between them.
            try Data(try receiptText([ReceiptEntry(path: "a", sizeBytes: 1, crc64: 1),
                                      ReceiptEntry(path: "caf\u{E9}.txt", sizeBytes: 2, crc64: 2)]).text.utf8).write(to: URL(fileURLWithPath: one))
            try Data(try receiptText([ReceiptEntry(path: "b", sizeBytes: 1, crc64: 1),
                                      ReceiptEntry(path: "cafe\u{301}.txt", sizeBytes: 2, crc64: 2),
                                      ReceiptEntry(path: "line\nbreak", sizeBytes: 3, crc64: 3)]).text.utf8).write(to: URL(fileURLWithPath: two))
            #expect(try ReceiptMerge.merge(inputs: [one, two], to: output).fileCount == 5)
            try FileManager.default.removeItem(atPath: output)

            do {
                try ReceiptMerge.merge(inputs: [one, two, two], to: output)
                Issue.record("merged overlapping receipts")
            } catch let error as FerryError {
                #expect(error.code == .usage)
                #expect(error.message.contains("\"b\"") && error.message.contains("'\(two)' and '\(two)'"), "\(error.message)")
                #expect(!error.message.contains("\n"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: base).sorted() == ["one.jsonl", "two.jsonl"])
        }
    }

    @Test func anOverlapNamesThePathAsPrintableText() throws {
        try withTemporaryDirectory { base in
            let one = base + "/one.jsonl", two = base + "/two.jsonl"
            try Data(try receiptText([ReceiptEntry(path: "line\nbreak", sizeBytes: 3, crc64: 3)]).text.utf8).write(to: URL(fileURLWithPath: one))
            try Data(try receiptText([ReceiptEntry(path: "a", sizeBytes: 1, crc64: 1),
                                      ReceiptEntry(path: "line\nbreak", sizeBytes: 3, crc64: 3)]).text.utf8).write(to: URL(fileURLWithPath: two))
            do {
                try ReceiptMerge.merge(inputs: [one, two], to: base + "/m.jsonl")
                Issue.record("merged overlapping receipts")
            } catch let error as FerryError {
                #expect(error.message.contains("\"line\\nbreak\"") && error.message.contains("'\(one)' and '\(two)'"), "\(error.message)")
                #expect(!error.message.contains("\n"))
            }
        }
    }

    @Test func aChangedInputIsRefusedAndNothingIsWritten() throws {
        try withTemporaryDirectory { base in
            let good = base + "/good.jsonl", bad = base + "/bad.jsonl"
            let text = try receiptText([ReceiptEntry(path: "x", sizeBytes: 1, crc64: 0xAB)]).text
            try Data(text.utf8).write(to: URL(fileURLWithPath: good))
            try Data(try receiptText([ReceiptEntry(path: "y", sizeBytes: 1, crc64: 0xCD)]).text
                .replacingOccurrences(of: "00000000000000cd", with: "00000000000000ce").utf8).write(to: URL(fileURLWithPath: bad))
            do {
                try ReceiptMerge.merge(inputs: [good, bad], to: base + "/m.jsonl")
                Issue.record("merged a changed receipt")
            } catch let error as FerryError {
                #expect(error.code == .usage)
                #expect(error.message.contains("'\(bad)'") && error.message.contains("root hash"), "\(error.message)")
            }
            #expect(!FileManager.default.fileExists(atPath: base + "/m.jsonl"))
            // One input: a checked copy with the same last line.
            #expect(try ReceiptMerge.merge(inputs: [good], to: base + "/m.jsonl") == ReceiptReader.check(path: good))
        }
    }

    @Test func headsComeOutInByteOrderWithTiesByInput() {
        var heads = ReceiptHeads()
        let paths = ["b", "a/b", "a.txt", "\u{E9}", "e\u{301}", "a.txt"]
        for (index, path) in paths.enumerated() { heads.insert(ReceiptEntry(path: path, sizeBytes: 0, crc64: 0), from: index) }
        var out: [(String, Int)] = []
        while let (entry, input) = heads.popFirst() { out.append((entry.path, input)) }
        #expect(out.map { Array($0.0.utf8) } == ["a.txt", "a.txt", "a/b", "b", "e\u{301}", "\u{E9}"].map { Array($0.utf8) })
        #expect(out.prefix(2).map(\.1) == [2, 5])
    }

    static func entries(_ path: String) throws -> [ReceiptEntry] {
        let reader = try ReceiptReader(path: path)
        var entries: [ReceiptEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }
}
