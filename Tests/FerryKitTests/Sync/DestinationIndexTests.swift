import Foundation
import Testing
@testable import FerryKit

@Suite struct DestinationIndexTests {
    @Test func namesAreBytesAndUnlistedObjectsComeInByteOrder() throws {
        try withTemporaryDirectory { directory in try check(try DestinationIndex(path: directory + "/dest.db")) }
    }

    private func check(_ index: DestinationIndex) throws {
        #expect(try !index.isComplete)
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        for path in ["b", nfd, "a/x", nfc, "a/y"] {
            try index.stage(DestinationEntry(path: path, sizeBytes: Int64(path.utf8.count), crc64: 7))
        }
        try index.finishStaging()
        #expect(try index.isComplete)
        #expect(try index.count() == 5)
        // Swift's == says the two spellings are equal; the index keeps them apart.
        #expect(nfc == nfd)
        #expect(try index.entry(at: nfc)?.sizeBytes == Int64(nfc.utf8.count))
        #expect(try index.entry(at: nfd)?.sizeBytes == Int64(nfd.utf8.count))
        #expect(try index.entry(at: "a") == nil)

        try index.markListed(nfd)
        try index.markListed("a/x")
        try index.finishListing()
        let unlisted = try index.unlisted(after: nil, limit: 10).map(\.path)
        #expect(unlisted.map { Array($0.utf8) } == ["a/y", "b", nfc].map { Array($0.utf8) })
        #expect(try index.unlisted(after: "a/y", limit: 1).map { Array($0.path.utf8) } == [Array("b".utf8)])

        try index.markDeleted(["b"])
        #expect(try index.unlisted(after: nil, limit: 10).count == 2)
        try index.reset()
        #expect(try index.count() == 0)
        #expect(try !index.isComplete)
    }
}
