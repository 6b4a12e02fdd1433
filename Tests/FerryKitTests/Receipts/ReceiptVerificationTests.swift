import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

@Suite struct ReceiptVerificationTests {
    static func verify(_ receipt: String, _ root: String) throws -> (ReceiptVerification.Summary, [ReceiptProblem]) {
        var problems: [ReceiptProblem] = []
        let summary = try ReceiptVerification.run(receiptPath: receipt, endpoint: LocalEndpoint(root: root), readBytes: false,
                                                  workerCount: 2) { problems.append($0) }
        return (summary, problems)
    }

    @Test func anUntouchedTreeMatchesAndChangesAreNamed() throws {
        try withTemporaryDirectory { base in
            let tree = base + "/tree"
            for (name, text) in ["keep.txt": "keep", "edit.txt": "abcdef", "gone.txt": "bye", "grow.txt": "12",
                                 ReceiptFormatTests.nfc: "nfc"] {
                try LocationReceiptTests.write(tree + "/" + name, text)
            }
            let receipt = base + "/r.jsonl"
            _ = try LocationReceipt.write(endpoint: LocalEndpoint(root: tree), readBytes: false, workerCount: 2, to: receipt)
            let (clean, none) = try Self.verify(receipt, tree)
            #expect(none.isEmpty && clean.matched == 5 && clean.problemCount == 0)

            try LocationReceiptTests.write(tree + "/edit.txt", "abcdeF")   // same size, other bytes
            try LocationReceiptTests.write(tree + "/grow.txt", "123")
            try FileManager.default.removeItem(atPath: tree + "/gone.txt")
            try LocationReceiptTests.write(tree + "/new.txt", "new")
            // The NFD spelling of the same name is another file: the NFC one is still there and matches.
            try LocationReceiptTests.write(tree + "/" + ReceiptFormatTests.nfd, "nfd")
            let (summary, problems) = try Self.verify(receipt, tree)
            #expect(problems.map(\.kind) == [.extra, .different, .missing, .different, .extra])
            #expect(problems.map { Array($0.path.utf8) } == [ReceiptFormatTests.nfd, "edit.txt", "gone.txt", "grow.txt", "new.txt"]
                .map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
            let edit = try #require(problems.first { $0.path == "edit.txt" })
            #expect(edit.expectedCRC64 == CRC64.checksum(Data("abcdef".utf8)) && edit.actualCRC64 == CRC64.checksum(Data("abcdeF".utf8)))
            #expect(summary.matched == 2 && summary.missing == 1 && summary.extra == 2 && summary.different == 2)
            #expect(edit.textLine.hasPrefix("different: edit.txt (crc64 "))
        }
    }

    @Test func aChangedReceiptIsRefusedBeforeAnythingIsCompared() throws {
        try withTemporaryDirectory { base in
            try LocationReceiptTests.write(base + "/tree/a.txt", "a")
            let receipt = base + "/r.jsonl"
            _ = try LocationReceipt.write(endpoint: LocalEndpoint(root: base + "/tree"), readBytes: false, workerCount: 1, to: receipt)
            let text = try String(contentsOfFile: receipt, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\"size\":1", with: "\"size\":2").utf8).write(to: URL(fileURLWithPath: receipt))
            #expect(throws: FerryError.self) { try Self.verify(receipt, base + "/tree") }
        }
    }
}
