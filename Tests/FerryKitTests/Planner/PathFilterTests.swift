import Foundation
import Testing
@testable import FerryKit

@Suite struct PathFilterTests {
    @Test(arguments: [
        ("*.parquet", "a/b/x.parquet", true),
        ("*.parquet", "a/b/x.parquet.tmp", false),
        ("shard-??.tar", "shard-07.tar", true),
        ("shard-??.tar", "shard-7.tar", false),
        ("[ab]*.txt", "dir/b1.txt", true),
        ("[!ab]*.txt", "dir/b1.txt", false),
        ("[a-c]x", "bx", true),
        ("train/*.json", "train/a.json", true),
        ("train/*.json", "train/sub/a.json", false),  // '*' never crosses '/'
        ("train/**.json", "train/sub/a.json", true),
        ("train/**/a.json", "train/a.json", true),  // '**/' may match no directory
        ("**/cache/**", "x/y/cache/z.bin", true),
        ("**/cache/**", "x/cachez/z.bin", false),
        ("/train/*.json", "train/a.json", true),  // a leading '/' anchors at the root
        ("?.txt", "é.txt", true),  // '?' is one character, not one byte
        ("caf\u{E9}.txt", "cafe\u{301}.txt", false),  // NFC and NFD are different names
    ])
    func globsMatchBytes(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path: Array(path.utf8)) == expected, "\(pattern) vs \(path)")
    }

    @Test func pathPrefixesMatchWholeComponents() {
        let filter = PathFilter(includePattern: nil, excludePattern: nil, includePath: "train;val/", excludePath: "train/tmp")
        #expect(filter.accepts(path: "train/a.bin", lastModified: nil))
        #expect(filter.accepts(path: "val/a.bin", lastModified: nil))
        #expect(!filter.accepts(path: "training/a.bin", lastModified: nil))
        #expect(!filter.accepts(path: "train/tmp/a.bin", lastModified: nil))
        #expect(filter.accepts(path: "train/tmpfile", lastModified: nil))
        #expect(!filter.mayTakeAnything(below: "train/tmp"))
        #expect(!filter.mayTakeAnything(below: "test"))
        #expect(filter.mayTakeAnything(below: "train"))
    }

    @Test func excludedDirectoryPatternsPruneOnlyWhatTheyExclude() {
        let filter = PathFilter(includePattern: nil, excludePattern: "cache/**;*.tmp")
        #expect(!filter.mayTakeAnything(below: "cache"))
        #expect(filter.mayTakeAnything(below: "x/cache"))  // 'cache/**' is anchored at the root
        #expect(!filter.accepts(path: "cache/a", lastModified: nil))
        #expect(filter.accepts(path: "x/cache/a", lastModified: nil))
        #expect(filter.mayTakeAnything(below: "a.tmp"))  // a name pattern without '/**' excludes files only
    }

    @Test func listsAndTimes() {
        let day = Date(timeIntervalSince1970: 1_700_000_000)
        let filter = PathFilter(includePattern: nil, excludePattern: nil, listedPaths: ["a/x.bin", "caf\u{E9}"],
                                modifiedAfter: day, modifiedBefore: day.addingTimeInterval(3600))
        #expect(filter.accepts(path: "a/x.bin", lastModified: day))
        #expect(filter.accepts(path: "a/x.bin", lastModified: nil))  // an unknown time is taken
        #expect(!filter.accepts(path: "a/x.bin", lastModified: day.addingTimeInterval(-1)))
        #expect(!filter.accepts(path: "a/x.bin", lastModified: day.addingTimeInterval(3601)))
        #expect(!filter.accepts(path: "a/y.bin", lastModified: day))
        #expect(!filter.accepts(path: "cafe\u{301}", lastModified: day))  // the list holds the NFC name only
        #expect(filter.accepts(path: "caf\u{E9}", lastModified: day))
    }
}
