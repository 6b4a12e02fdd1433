import Foundation
import Testing
@testable import FerryKit

@Suite struct LocalCopyTests {
    static let blockSize = 64 << 10

    /// A tree with the interesting sizes and names.
    static func makeTree(_ root: String) throws -> [String: Data] {
        let files: [String: Data] = [
            "empty.bin": Data(),
            "one.bin": Data([42]),
            "block-minus-one.bin": patternData(blockSize - 1, seed: 1),
            "block.bin": patternData(blockSize, seed: 2),
            "block-plus-one.bin": patternData(blockSize + 1, seed: 3),
            "multi/seven-blocks.bin": patternData(blockSize * 7 + 123, seed: 4),
            "nested/a/b/c/deep.txt": Data("deep".utf8),
            "with space/naïve ünïcode 文件.txt": Data("unicode".utf8),
        ]
        for (relative, data) in files { try writeFile(root + "/" + relative, data) }
        return files
    }

    @Test func copiesATreeByteForByte() throws {
        try withTemporaryDirectory { base in
            let expected = try Self.makeTree(base + "/corpus")
            var options = TransferOptions()
            options.recursive = true
            options.blockSizeBytes = Self.blockSize
            options.concurrency = 4
            let (summary, store) = try runLocalCopy(source: base + "/corpus", destination: base + "/out",
                                                    options: options, home: FerryHome(path: base + "/home"))
            defer { store.close() }
            #expect(summary.state == .completed)
            #expect(summary.progress.filesDone == expected.count)
            #expect(summary.progress.filesFailed == 0)
            // azcopy rule: the directory itself lands under the destination.
            #expect(treeContents(base + "/out/corpus") == expected)
            let totals = try store.totals()
            #expect(totals.doneFiles == expected.count)
        }
    }

    @Test func contentsWildcardCopiesWithoutTheDirectoryName() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/src/a.txt", Data("a".utf8))
            try writeFile(base + "/src/sub/b.txt", Data("b".utf8))
            var options = TransferOptions()
            options.recursive = true
            let (summary, store) = try runLocalCopy(source: base + "/src/*", destination: base + "/dst",
                                                    options: options, home: FerryHome(path: base + "/home"))
            store.close()
            #expect(summary.state == .completed)
            #expect(treeContents(base + "/dst") == ["a.txt": Data("a".utf8), "sub/b.txt": Data("b".utf8)])
        }
    }

    @Test func singleFileKeepsItsNameInADirectoryAndIsRenamedOtherwise() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/src/model.bin", patternData(1000, seed: 9))
            try FileManager.default.createDirectory(atPath: base + "/existing", withIntermediateDirectories: true)
            let home = FerryHome(path: base + "/home")
            let (first, store1) = try runLocalCopy(source: base + "/src/model.bin", destination: base + "/existing",
                                                   options: TransferOptions(), home: home)
            store1.close()
            let (second, store2) = try runLocalCopy(source: base + "/src/model.bin", destination: base + "/renamed.bin",
                                                    options: TransferOptions(), home: home)
            store2.close()
            #expect(first.state == .completed && second.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/existing/model.bin") == patternData(1000, seed: 9))
            #expect(FileManager.default.contents(atPath: base + "/renamed.bin") == patternData(1000, seed: 9))
        }
    }

    @Test func overwriteFalseSkipsExistingFiles() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/src/keep.txt", Data("new".utf8))
            try writeFile(base + "/src/fresh.txt", Data("fresh".utf8))
            try writeFile(base + "/dst/src/keep.txt", Data("old".utf8))
            var options = TransferOptions()
            options.recursive = true
            options.overwrite = .never
            let (summary, store) = try runLocalCopy(source: base + "/src", destination: base + "/dst",
                                                    options: options, home: FerryHome(path: base + "/home"))
            store.close()
            #expect(summary.state == .completed)
            #expect(summary.progress.filesSkipped == 1)
            #expect(summary.progress.filesDone == 1)
            #expect(FileManager.default.contents(atPath: base + "/dst/src/keep.txt") == Data("old".utf8))
            #expect(FileManager.default.contents(atPath: base + "/dst/src/fresh.txt") == Data("fresh".utf8))
        }
    }

    @Test func directoryWithoutRecursiveIsAUsageError() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/src/a.txt", Data("a".utf8))
            #expect(throws: FerryError.self) {
                _ = try JobSetup.newCopy(source: base + "/src", destination: base + "/dst", options: TransferOptions(),
                                         open: { LocalEndpoint(root: $0.original) })
            }
        }
    }
}
