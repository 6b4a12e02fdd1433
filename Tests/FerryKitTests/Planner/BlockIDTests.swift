import Foundation
import Testing
@testable import FerryKit

@Suite struct BlockIDTests {
    @Test func idsAreFixedLengthDeterministicAndDistinct() {
        let layout = BlockID.layout(sizeBytes: 100, blockSizeBytes: 8 << 20)
        let first = BlockID.make(layout: layout, index: 0, contentCRC64: 7)
        #expect(first.count == 64)
        #expect(!first.contains("="))
        #expect(BlockID.make(layout: layout, index: 0, contentCRC64: 7) == first)
        #expect(BlockID.make(layout: layout, index: 9_999_999_999, contentCRC64: .max).count == 64)
        #expect(BlockID.make(layout: layout, index: 1, contentCRC64: 7) != first)
        #expect(BlockID.make(layout: layout, index: 0, contentCRC64: 8) != first)
        #expect(BlockID.layout(sizeBytes: 100, blockSizeBytes: 4 << 20) != layout)
        #expect(BlockID.layout(sizeBytes: 101, blockSizeBytes: 8 << 20) != layout)
    }

    @Test func parseReadsBackWhatMakeWrote() throws {
        for (layout, index, crc) in [(UInt64(0), 0, UInt64(0)), (.max, 49_999, .max), (0x0123_4567_89ab_cdef, 12, 0xfeed)] {
            let parsed = try #require(BlockID.parse(BlockID.make(layout: layout, index: index, contentCRC64: crc)))
            #expect(parsed.layout == layout && parsed.index == index && parsed.contentCRC64 == crc)
        }
    }

    @Test func parseRefusesOtherIDs() {
        let foreign = [
            "",
            Data("fy1-0123456789abcdef-000000001".utf8).base64EncodedString(),       // the earlier format
            Data("fy3-0123456789abcdef-0000000001-0123456789abcdef".utf8).base64EncodedString(),
            Data("fy2-0123456789abcdeg-0000000001-0123456789abcdef".utf8).base64EncodedString(),  // not hex
            Data("fy2-0123456789abcdef-000000000x-0123456789abcdef".utf8).base64EncodedString(),
            Data("fy2+0123456789abcdef-0000000001-0123456789abcdef".utf8).base64EncodedString(),
            Data(repeating: 0x41, count: 48).base64EncodedString(),                       // AzCopy-like opaque IDs
            String(repeating: "!", count: 64),
        ]
        for id in foreign { #expect(BlockID.parse(id) == nil, "\(id)") }
    }

    @Test func aBlockIsNamedAfterItsBytes() throws {
        let block = BlockRef(index: 3, offset: 300, length: 100, layout: 42)
        #expect(block.id.isEmpty)
        let named = block.withContent(crc64: 99)
        let parsed = try #require(BlockID.parse(named.id))
        #expect(parsed.layout == 42 && parsed.index == 3 && parsed.contentCRC64 == 99)
        #expect(named.offset == 300 && named.length == 100)
    }
}
