import Foundation
import Testing
@testable import FerryKit

@Suite struct DirectoryReadAheadTests {
    static func makeFiles(_ base: String, _ names: [String]) throws {
        for name in names {
            let path = base + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(name.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    static func walk(_ root: String, prefix: String = "", entering: @escaping @Sendable (String) -> Bool = { _ in true }) throws -> [String] {
        var listing = try LocalEndpoint(root: root).list(prefix: prefix, recursive: true, entering: entering)
        var paths: [String] = []
        while let info = try listing.next() { paths.append(info.path) }
        return paths
    }

    /// The walk reads the next directory ahead; what it yields must not change: every file, in
    /// byte order of the whole path, excluded directories not walked, sizes from the right files.
    @Test func theWalkWithReadAheadYieldsEveryFileInByteOrder() throws {
        try withTemporaryDirectory { base in
            let names = ["a-b", "a/x", "a/b/c", "a/b/d/e", "a0/y", "b/1", "b/2", "c/deep/er/z", "skip/me", "z"]
                + (0..<30).map { String(format: "many/%03d/f", $0) }
            try Self.makeFiles(base, names)
            let expected = names.sorted { NameOrder.precedes($0, $1) }
            #expect(try Self.walk(base) == expected)
            #expect(try Self.walk(base, entering: { $0 != "skip" }) == expected.filter { !$0.hasPrefix("skip/") })
            #expect(try Self.walk(base, prefix: "many/01") == expected.filter { $0.hasPrefix("many/01") })
            var listing = try LocalEndpoint(root: base).list(prefix: "", recursive: true)
            while let info = try listing.next() { #expect(info.sizeBytes == Int64(info.path.utf8.count)) }
        }
    }

    @Test func aReadNotStartedIsDoneOnTheSpotAndAFailedOneIsThrownWhenAsked() throws {
        try withTemporaryDirectory { base in
            try Self.makeFiles(base, ["one/a", "two/b"])
            let readAhead = DirectoryReadAhead()
            readAhead.start(base + "/one")
            #expect(try readAhead.entries(of: base + "/two").map(\.name) == ["b"])  // not the started one
            #expect(try readAhead.entries(of: base + "/one").map(\.name) == ["a"])
            readAhead.start(base + "/missing")
            #expect(throws: FerryError.self) { try readAhead.entries(of: base + "/missing") }
        }
    }
}
