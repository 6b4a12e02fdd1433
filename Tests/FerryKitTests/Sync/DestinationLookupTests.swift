import Foundation
import Testing
@testable import FerryKit

/// `DestinationLookup` read side by side must answer exactly as the staged index would, keep
/// every object the source passed by as a deletion candidate, and fall back to staging when
/// either listing breaks byte order.
@Suite struct DestinationLookupTests {
    static let nfc = "caf\u{E9}", nfd = "cafe\u{301}"

    private func store(_ paths: [String], ordered: Bool) -> UnorderedStoreEndpoint {
        UnorderedStoreEndpoint(objects: paths.map { ($0, Data($0.utf8), false) }, claimsByteOrder: ordered)
    }

    /// Asks for `asked` in that order; returns the sizes found (nil = absent), the candidates
    /// left in the index and the warnings.
    private func run(destination: UnorderedStoreEndpoint, asked: [String], sourceOrdered: Bool = true)
        throws -> (found: [Int64?], candidates: [String], warnings: [String], complete: Bool, counts: (Int, Int)?) {
        try withTemporaryDirectory { directory in
            let index = try DestinationIndex(path: directory + "/dest.db")
            nonisolated(unsafe) var warnings: [String] = []
            let lookup = try DestinationLookup(index: index, destination: destination, sourceListsInByteOrder: sourceOrdered,
                                               retry: RetryPolicy(), cancellation: CancellationFlag(),
                                               takenByFilters: { !$0.path.hasPrefix("keep/") },
                                               warn: { warnings.append($0) })
            let found = try asked.map { try lookup.entry(at: $0)?.sizeBytes }
            try lookup.finish()
            let counts = try index.mergedCounts().map { ($0.listed, $0.taken) }
            let candidates = try index.unlisted(after: nil, limit: 100).map(\.path)
            return (found, candidates, warnings, try index.isComplete, counts)
        }
    }

    private func bytes(_ paths: [String]) -> [[UInt8]] { paths.map { Array($0.utf8) } }

    @Test func sideBySideFindsEveryCommonPathAndKeepsTheRestAsCandidates() throws {
        let destination = store(["a", "b/c", "d", "keep/x", Self.nfd, Self.nfc].sorted { DestinationLookup.less($0, $1) },
                                ordered: true)
        let result = try run(destination: destination, asked: ["a", "b", "b/c", Self.nfc, "zz"])
        #expect(result.found == [1, nil, 3, Int64(Self.nfc.utf8.count), nil])
        // The NFD spelling is another object: a candidate, though Swift's == calls it equal.
        #expect(bytes(result.candidates) == bytes([Self.nfd, "d", "keep/x"]))
        #expect(result.warnings.isEmpty)
        #expect(!result.complete)  // merged, not staged whole: a resume merges again
        #expect(result.counts.map { [$0.0, $0.1] } == [6, 5])
    }

    @Test func aDestinationListedOutOfOrderIsStagedWholeAndStillFound() throws {
        let result = try run(destination: store(["a", "c", "b", "d"], ordered: true), asked: ["a", "b", "c", "d"])
        // "b" is asked before the listing shows it out of place: absent, so it is copied again
        // (the one cost of a broken promise); everything after comes from the staged index.
        #expect(result.found == [1, nil, 1, 1])
        // Staged whole: the index holds every object (deletion leaves out what the source has).
        #expect(result.candidates == ["a", "b", "c", "d"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("not in byte order") == true)
        #expect(result.complete)
        #expect(result.counts == nil)
    }

    @Test func aSourceListedOutOfOrderFallsBackToLookups() throws {
        let result = try run(destination: store(["a", "b", "c"], ordered: true), asked: ["b", "a", "c"])
        #expect(result.found == [1, 1, 1])
        #expect(result.candidates == ["a", "b", "c"])
        #expect(result.complete)
        #expect(result.warnings.count == 1)
    }

    @Test func storesWithoutOrderAreStagedFirst() throws {
        let unordered = try run(destination: store(["c", "a", "b"], ordered: false), asked: ["a", "b", "x"])
        #expect(unordered.found == [1, 1, nil])
        #expect(unordered.candidates == ["a", "b", "c"])
        #expect(unordered.warnings.isEmpty)
        #expect(unordered.complete)
        let unorderedSource = try run(destination: store(["a", "b"], ordered: true), asked: ["b", "a"], sourceOrdered: false)
        #expect(unorderedSource.found == [1, 1])
        #expect(unorderedSource.warnings.isEmpty)
    }

    @Test func anEmptyDestinationHasNoCandidates() throws {
        let result = try run(destination: store([], ordered: true), asked: ["a", "b"])
        #expect(result.found == [nil, nil])
        #expect(result.candidates.isEmpty)
        #expect(result.counts.map { [$0.0, $0.1] } == [0, 0])
    }
}
