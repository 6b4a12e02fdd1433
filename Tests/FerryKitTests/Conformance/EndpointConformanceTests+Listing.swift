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
            #expect(all.map(\.path) == Self.byteOrder(Self.listedNames))
            // Sizes as written (position + 1 in reversed order), and each listed object stats the same.
            let written = Dictionary(uniqueKeysWithValues: Self.listedNames.reversed().enumerated().map { ($1, Int64($0 + 1)) })
            #expect(all.allSatisfy { written[$0.path] == $0.sizeBytes })
            for object in all {
                #expect(try root.stat(object.path)?.sizeBytes == object.sizeBytes, "stat of listed '\(object.path)'")
            }

            let topLevel = Self.byteOrder(Self.listedNames.filter { !$0.contains("/") })
            #expect(try EndpointCalls.list(root, recursive: false).map(\.path) == topLevel)
            #expect(try EndpointCalls.list(root, prefix: "dir/").map(\.path) == ["dir/f.txt", "dir/sub/g h.txt"])
            #expect(try EndpointCalls.list(root, prefix: "dir").map(\.path)
                    == ["dir-j.txt", "dir/f.txt", "dir/sub/g h.txt", "dir2/i.txt"])
            #expect(try EndpointCalls.list(root, prefix: "dir/sub/g").map(\.path) == ["dir/sub/g h.txt"])
            #expect(try EndpointCalls.list(root, prefix: "\u{65E5}").map(\.path) == ["\u{65E5}\u{672C}/\u{8A9E}.txt"])
            #expect(try EndpointCalls.list(root, prefix: "nothing-here").isEmpty)
            #expect(try EndpointCalls.list(root, prefix: "dir", recursive: false).map(\.path) == ["dir-j.txt"])

            // The parent sees the root's objects under `data/` and its own neighbours.
            let parentPaths = try EndpointCalls.list(endpoints.parent).map(\.path)
            #expect(parentPaths == Self.byteOrder(Self.listedNames.map { ConformanceTarget.rootName + "/" + $0 }
                + [ConformanceTarget.rootName + "2/outside.txt", ConformanceTarget.rootName + "-outside.txt", "outside.txt"]))
        }
    }

    /// The objects directly inside a "directory" given as the prefix. The engine lists only with
    /// an empty prefix today, so this is its own case: backends disagree (integration-bugs.md).
    @Test(arguments: ConformanceTarget.allCases)
    func nonRecursiveListingInsideADirectoryPrefix(_ target: ConformanceTarget) throws {
        try target.withEndpoints { endpoints in
            try Self.fill(endpoints)
            withKnownIssue("a local non-recursive listing never enters a directory named by the prefix") {
                #expect(try EndpointCalls.list(endpoints.root, prefix: "dir/", recursive: false).map(\.path) == ["dir/f.txt"])
            } when: { target == .local }
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func listingOverSeveralPages(_ target: ConformanceTarget) throws {
        try target.withEndpoints(listPageSize: 2) { endpoints in
            try Self.fill(endpoints)
            let all = try EndpointCalls.list(endpoints.root)
            #expect(all.map(\.path) == Self.byteOrder(Self.listedNames))
            #expect(try EndpointCalls.list(endpoints.root, recursive: false).map(\.path)
                    == Self.byteOrder(Self.listedNames.filter { !$0.contains("/") }))
            #expect(try EndpointCalls.list(endpoints.root, prefix: "dir").count == 4)
        }
    }
}
