import Foundation
import Testing
@testable import FerryKit

@Suite struct BlockIDTests {
    @Test func idsAreFixedLengthDeterministicAndDistinct() {
        let identity = BlockID.sourceIdentity(relativePath: "a/b.bin", sizeBytes: 100, lastModified: Date(timeIntervalSince1970: 5),
                                              blockSizeBytes: 8 << 20)
        let first = BlockID.make(sourceIdentity: identity, index: 0)
        #expect(first.count == 40)
        #expect(!first.contains("="))
        #expect(BlockID.make(sourceIdentity: identity, index: 0) == first)
        #expect(BlockID.make(sourceIdentity: identity, index: 999_999_999).count == 40)
        #expect(BlockID.make(sourceIdentity: identity, index: 1) != first)
        let otherSize = BlockID.sourceIdentity(relativePath: "a/b.bin", sizeBytes: 100, lastModified: Date(timeIntervalSince1970: 5),
                                               blockSizeBytes: 4 << 20)
        #expect(otherSize != identity)
    }
}
