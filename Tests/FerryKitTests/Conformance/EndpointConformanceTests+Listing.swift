import Foundation
import Testing
@testable import FerryKit

/// Listings: order, recursion, prefixes, awkward names, the root's edge, pages.
extension EndpointConformanceTests {
    /// Names with spaces, `+`, Unicode (NFC), a deep path, and neighbours that share prefixes.
    static let listedNames = ["Upper.txt", "a.txt", "b c.txt", "d+e.txt", "dir/f.txt", "dir/sub/g h.txt",
                              "dir2/i.txt", "dir-j.txt", "z/\u{00FC}.txt", "zz.txt", "\u{00E9}t\u{00E9}.txt",
                              "\u{65E5}\u{672C}/\u{8A9E}.txt"]

    /// Lexicographic order of the UTF-8 bytes, as the protocol promises.
    static func byteOrder(_ paths: [String]) -> [String] {
        paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `listed` holds exactly `expected`, in UTF-8 byte order. SeaweedFS walks its directory
    /// tree instead (`dir/…` before `dir-…`): a known S3 issue, so the order alone is marked.
    static func expectByteOrder(_ listed: [String], _ expected: [String], _ target: ConformanceTarget,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(listed.sorted() == expected.sorted(), sourceLocation: sourceLocation)
        #expect(Set(listed).count == listed.count, "a path listed twice", sourceLocation: sourceLocation)
        withKnownIssue("SeaweedFS lists 'dir/…' before 'dir-…' (not byte order): integration-bugs.md, S3 listing order") {
            #expect(listed == byteOrder(expected), sourceLocation: sourceLocation)
        } when: { target == .s3 }
    }

    static func fill(_ endpoints: ConformanceEndpoints) throws {
        // Written out of order, so a listing that merely echoes creation order fails.
        for (position, name) in listedNames.reversed().enumerated() {
            try EndpointCalls.put(endpoints.root, name, patternData(position + 1, seed: UInt64(position)))
        }
        // Just outside the root: same leading characters, never part of it.
        try EndpointCalls.put(endpoints.parent, ConformanceTarget.rootName + "2/outside.txt", Data("no".utf8))
        try EndpointCalls.put(endpoints.parent, ConformanceTarget.rootName + "-outside.txt", Data("no".utf8))
        try EndpointCalls.put(endpoints.parent, "outside.txt", Data("no".utf8))
    }

    @Test(arguments: ConformanceTarget.allCases)
    func listingOrderRecursionAndPrefixes(_ target: ConformanceTarget) throws {
        try target.withEndpoints { endpoints in
            try Self.fill(endpoints)
            let root = endpoints.root
            let all = try EndpointCalls.list(root)
            try Self.expectByteOrder(all.map(\.path), Self.listedNames, target)
            // Sizes as written (position + 1 in reversed order), and each listed object stats the same.
            let written = Dictionary(uniqueKeysWithValues: Self.listedNames.reversed().enumerated().map { ($1, Int64($0 + 1)) })
            #expect(all.allSatisfy { written[$0.path] == $0.sizeBytes })
            for object in all {
                #expect(try root.stat(object.path)?.sizeBytes == object.sizeBytes, "stat of listed '\(object.path)'")
            }

            let topLevel = Self.byteOrder(Self.listedNames.filter { !$0.contains("/") })
            #expect(try EndpointCalls.list(root, recursive: false).map(\.path) == topLevel)
            #expect(try EndpointCalls.list(root, prefix: "dir/").map(\.path) == ["dir/f.txt", "dir/sub/g h.txt"])
            try Self.expectByteOrder(try EndpointCalls.list(root, prefix: "dir").map(\.path),
                                     ["dir-j.txt", "dir/f.txt", "dir/sub/g h.txt", "dir2/i.txt"], target)
            #expect(try EndpointCalls.list(root, prefix: "dir/sub/g").map(\.path) == ["dir/sub/g h.txt"])
            #expect(try EndpointCalls.list(root, prefix: "\u{65E5}").map(\.path) == ["\u{65E5}\u{672C}/\u{8A9E}.txt"])
            #expect(try EndpointCalls.list(root, prefix: "nothing-here").isEmpty)
            #expect(try EndpointCalls.list(root, prefix: "dir", recursive: false).map(\.path) == ["dir-j.txt"])

            // The parent sees the root's objects under `data/` and its own neighbours.
            let parentPaths = try EndpointCalls.list(endpoints.parent).map(\.path)
            try Self.expectByteOrder(parentPaths, Self.listedNames.map { ConformanceTarget.rootName + "/" + $0 }
                + [ConformanceTarget.rootName + "2/outside.txt", ConformanceTarget.rootName + "-outside.txt", "outside.txt"], target)
        }
    }

    /// The objects directly inside a "directory" given as the prefix, and those starting with a
    /// partial name there (a store's delimiter listing: deeper objects are not listed).
    @Test(arguments: ConformanceTarget.allCases)
    func nonRecursiveListingInsideADirectoryPrefix(_ target: ConformanceTarget) throws {
        try target.withEndpoints { endpoints in
            try Self.fill(endpoints)
            let inside = try EndpointCalls.list(endpoints.root, prefix: "dir/", recursive: false).map(\.path)
            #expect(inside == ["dir/f.txt"])
            let partial = try EndpointCalls.list(endpoints.root, prefix: "dir", recursive: false).map(\.path)
            #expect(partial == ["dir-j.txt"])
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func listingOverSeveralPages(_ target: ConformanceTarget) throws {
        try target.withEndpoints(listPageSize: 2) { endpoints in
            try Self.fill(endpoints)
            let all = try EndpointCalls.list(endpoints.root)
            try Self.expectByteOrder(all.map(\.path), Self.listedNames, target)
            #expect(try EndpointCalls.list(endpoints.root, recursive: false).map(\.path)
                    == Self.byteOrder(Self.listedNames.filter { !$0.contains("/") }))
            #expect(try EndpointCalls.list(endpoints.root, prefix: "dir").count == 4)
        }
    }
}
