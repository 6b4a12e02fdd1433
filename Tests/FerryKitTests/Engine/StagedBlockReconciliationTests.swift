import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

@Suite struct StagedBlockReconciliationTests {
    /// Three blocks of 5, 5 and 2 bytes of one layout.
    let blocks = (0..<3).map { BlockRef(index: $0, offset: Int64($0 * 5), length: $0 == 2 ? 2 : 5, layout: 77) }

    func done(_ crc: UInt64) -> DoneBlock { DoneBlock(crc64: crc, receipt: nil) }
    func named(_ crc: UInt64) -> StagedBlockReconciliation.Candidate { .init(content: .crc64(crc), receipt: nil) }

    @Test func recordsAreConfirmedByPositionAndSize() {
        // S3: parts are known by number only.
        let staged = [StagedBlock(id: "1", index: 0, sizeBytes: 5), StagedBlock(id: "3", index: 2, sizeBytes: 4)]
        let result = StagedBlockReconciliation(recorded: [0: done(1), 1: done(2), 2: done(3)], staged: staged, blocks: blocks)
        #expect(Set(result.confirmed.keys) == [0])  // 1 is not held; 2 is held with another size
        #expect(result.candidates.isEmpty)
    }

    @Test func unrecordedPartsWithAnMD5ETagAreCandidates() {
        let md5 = Digests.md5(Data("hello".utf8))
        let staged = [
            StagedBlock(id: "1", index: 0, sizeBytes: 5, receipt: "\"e1\"", contentMD5: md5),
            StagedBlock(id: "2", index: 1, sizeBytes: 5, receipt: "\"kms\""),                  // ETag is no MD5: nothing to check
            StagedBlock(id: "3", index: 2, sizeBytes: 5, receipt: "\"e3\"", contentMD5: md5),  // wrong size
            StagedBlock(id: "4", index: 3, sizeBytes: 2, receipt: "\"e4\"", contentMD5: md5),  // past the end
        ]
        let result = StagedBlockReconciliation(recorded: [:], staged: staged, blocks: blocks)
        let candidate = StagedBlockReconciliation.Candidate(content: .md5(md5), receipt: "\"e1\"")
        #expect(result.candidates == [0: [candidate]])
        let crcOfHello = CRC64.checksum(Data("hello".utf8))
        #expect(candidate.holds(crc64: crcOfHello) { Digests.md5(Data("hello".utf8)) })
        #expect(!candidate.holds(crc64: crcOfHello) { Digests.md5(Data("hellO".utf8)) })
        #expect(named(7).holds(crc64: 7) { Issue.record("a CRC-64 candidate needs no MD5"); return Data() })
        #expect(!named(7).holds(crc64: 8) { Data() })
    }

    @Test func recordsAreConfirmedByTheIDOfTheirBytes() {
        let staged = [blocks[0].withContent(crc64: 10), blocks[1].withContent(crc64: 99)].map { StagedBlock(id: $0.id, sizeBytes: 5) }
        let result = StagedBlockReconciliation(recorded: [0: done(10), 1: done(11)], staged: staged, blocks: blocks)
        #expect(result.confirmed == [0: done(10)])
        // Block 1 is held, but staged from other bytes than recorded: only a candidate, checked against the source.
        #expect(result.candidates == [1: [named(99)]])
    }

    @Test func unrecordedBlocksOfThisLayoutAreCandidates() {
        let other = BlockRef(index: 1, offset: 5, length: 5, layout: 78)
        let staged = [
            StagedBlock(id: blocks[0].withContent(crc64: 1).id, sizeBytes: 5),
            StagedBlock(id: blocks[0].withContent(crc64: 2).id, sizeBytes: 5),       // a second version of block 0
            StagedBlock(id: blocks[1].withContent(crc64: 3).id, sizeBytes: 4),       // wrong size
            StagedBlock(id: other.withContent(crc64: 4).id, sizeBytes: 5),           // another layout
            StagedBlock(id: BlockRef(index: 3, offset: 15, length: 2, layout: 77).withContent(crc64: 5).id, sizeBytes: 2),  // past the end
            StagedBlock(id: Data(repeating: 0x41, count: 48).base64EncodedString(), sizeBytes: 2),  // another tool's ID
            StagedBlock(id: blocks[2].withContent(crc64: 6).id, sizeBytes: 2),
        ]
        let result = StagedBlockReconciliation(recorded: [:], staged: staged, blocks: blocks)
        #expect(result.confirmed.isEmpty)
        #expect(result.candidates == [0: [named(1), named(2)], 2: [named(6)]])
    }

    @Test func nothingStagedConfirmsNothing() {
        let result = StagedBlockReconciliation(recorded: [0: done(1)], staged: [], blocks: blocks)
        #expect(result.confirmed.isEmpty && result.candidates.isEmpty)
        #expect(StagedBlockReconciliation(recorded: [:], staged: [], blocks: []).candidates.isEmpty)
    }
}
