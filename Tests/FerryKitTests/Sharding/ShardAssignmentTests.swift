import Foundation
import Testing
@testable import FerryKit

@Suite struct ShardAssignmentTests {
    /// Many small files behind a few large ones (the tail of a crawl with checkpoints in it).
    static func heavyTailedSizes(count: Int, seed: UInt64) -> [(String, Int64)] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        var files: [(String, Int64)] = (0..<count).map { ("data/\($0).bin", Int64(next() % 65_536 + 1)) }
        // Each checkpoint under a fair share: whole files cannot balance a file larger than that.
        for index in 0..<5 { files.append(("ckpt/\(index).pt", Int64(20 << 20) + Int64(next() % (40 << 20)))) }
        return files
    }

    /// Every shard's part, computed by N independent selections as N workers would.
    static func parts(of files: [(String, Int64)], count: Int, shuffledWith seed: UInt64) throws -> [[String]] {
        var generator = SeededGenerator(seed: seed)
        return try (0..<count).map { index in
            let selection = try ShardSelection(spec: try ShardSpec(index: index, count: count))
            defer { selection.close() }
            // Each worker sees the listing in its own order (SeaweedFS lists in no fixed order).
            for (path, size) in files.shuffled(using: &generator) { try selection.stage(path: path, sizeBytes: size) }
            try selection.split()
            return try files.map(\.0).filter { try selection.owns($0) }
        }
    }

    @Test func partsAreDisjointCompleteAndBalancedByBytes() throws {
        let files = Self.heavyTailedSizes(count: 3000, seed: 7)
        let parts = try Self.parts(of: files, count: 4, shuffledWith: 11)
        let all = parts.flatMap { $0 }
        #expect(all.count == files.count)
        #expect(Set(all).count == files.count)
        let sizes = Dictionary(uniqueKeysWithValues: files)
        let bytes = parts.map { $0.reduce(Int64(0)) { $0 + sizes[$1]! } }
        let ratio = Double(bytes.max()!) / Double(bytes.min()!)
        #expect(ratio <= 1.10, "shard bytes \(bytes)")
        #expect(parts.allSatisfy { !$0.isEmpty })
    }

    @Test func sameSplitWhateverTheListingOrder() throws {
        let files = Self.heavyTailedSizes(count: 500, seed: 3)
        #expect(try Self.parts(of: files, count: 3, shuffledWith: 1) == Self.parts(of: files, count: 3, shuffledWith: 2))
    }

    @Test func equalSizesTieBreakOnPathBytesNotOnStringEquality() throws {
        // NFC and NFD spellings of "é" are equal Strings but two paths: both must be placed, once.
        let files: [(String, Int64)] = [("caf\u{E9}", 10), ("cafe\u{301}", 10), ("a", 10), ("b", 10)]
        let parts = try Self.parts(of: files, count: 2, shuffledWith: 5)
        #expect(parts.map(\.count) == [2, 2])
        let bytesOwned = parts.map { Set($0.map { Array($0.utf8) }) }
        #expect(bytesOwned[0].isDisjoint(with: bytesOwned[1]))
        #expect(bytesOwned[0].union(bytesOwned[1]).count == 4)
    }

    @Test func largestFirstOntoTheLightestShard() {
        var assignment = ShardAssignment(shardCount: 3)
        // 9, 7, 6, 5, 4 → 0:9, 1:7, 2:6, then 5 → shard 2 (6), then 4 → shard 1 (7)
        #expect([9, 7, 6, 5, 4].map { assignment.place(sizeBytes: $0) } == [0, 1, 2, 2, 1])
        #expect(assignment.loads == [9, 11, 11])
    }

    @Test func aFileLargerThanAFairShareIsAPartOfItsOwn() throws {
        let files: [(String, Int64)] = [("big", 1000)] + (0..<30).map { ("s\($0)", 10) }
        let parts = try Self.parts(of: files, count: 3, shuffledWith: 9)
        #expect(parts[0] == ["big"])
        #expect(parts[1].count == 15 && parts[2].count == 15)
    }

    @Test func unlistedPathsAreOwnedByExactlyOneShard() throws {
        let specs = try (0..<5).map { try ShardSpec(index: $0, count: 5) }
        for path in ["a", "deep/dir/file.parquet", "caf\u{E9}", "cafe\u{301}"] {
            #expect(specs.filter { $0.ownsUnlisted(path: path) }.count == 1)
        }
    }
}

/// A deterministic generator for shuffles in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}
