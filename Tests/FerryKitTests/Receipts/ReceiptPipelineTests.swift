import Foundation
import Testing
@testable import FerryKit

@Suite struct ReceiptPipelineTests {
    static func entries(_ count: Int) -> [ReceiptEntry] {
        (0..<count).map { ReceiptEntry(path: String(format: "d/%07d", $0), sizeBytes: Int64($0), crc64: UInt64($0) &* 0x9E37_79B9) }
    }

    @Test func entriesCrossInOrderAndGiveTheDirectWritersBytes() throws {
        let all = Self.entries(ReceiptPipeline.batchSize * 3 + 17)
        var direct = Data()
        let plain = ReceiptWriter { direct.append($0) }
        for entry in all { try plain.add(entry) }
        let plainTrailer = try plain.finish()

        var piped = Data()
        let writer = ReceiptWriter { piped.append($0) }
        try ReceiptPipeline.run(into: writer) { add in for entry in all { try add(entry) } }
        #expect(try writer.finish() == plainTrailer)
        #expect(piped == direct)
    }

    @Test func aWriterErrorStopsTheReadingSide() throws {
        var good = Self.entries(ReceiptPipeline.batchSize)
        good.append(ReceiptEntry(path: "a-before-everything", sizeBytes: 1, crc64: 1))  // out of order
        nonisolated(unsafe) var offered = 0
        let writer = ReceiptWriter { _ in }
        #expect(throws: FerryError.self) {
            try ReceiptPipeline.run(into: writer) { add in
                for entry in good + Self.entries(ReceiptPipeline.batchSize * 50).map({ ReceiptEntry(path: "z" + $0.path, sizeBytes: 0, crc64: 0) }) {
                    try add(entry)
                    offered += 1
                }
            }
        }
        // The reader was stopped long before the 100,000 entries after the bad one.
        #expect(offered < ReceiptPipeline.batchSize * 10)
    }

    @Test func aReadingErrorIsThrownAfterTheWriterStopped() throws {
        struct Broken: Error {}
        var written = 0
        let writer = ReceiptWriter { written += $0.count }
        #expect(throws: Broken.self) {
            try ReceiptPipeline.run(into: writer) { add in
                for entry in Self.entries(5000) { try add(entry) }
                throw Broken()
            }
        }
        let after = written
        Thread.sleep(forTimeInterval: 0.05)
        #expect(written == after)  // nothing writes once `run` has returned
    }
}
