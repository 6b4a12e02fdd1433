import Foundation
import Testing
@testable import FerryKit

@Suite struct SafetyTests {
    @Test func localEndpointRefusesPathsThatEscapeTheRoot() throws {
        try withTemporaryDirectory { base in
            let endpoint = LocalEndpoint(root: base + "/root")
            let plan = ObjectWritePlan(sizeBytes: 1, blockSizeBytes: 1024)
            for hostile in ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "a//b", "./a", "a\u{0}b"] {
                #expect(throws: FerryError.self) { _ = try endpoint.makeWriter(for: hostile, plan: plan) }
                #expect(throws: FerryError.self) { _ = try endpoint.stat(hostile) }
            }
            #expect(!FileManager.default.fileExists(atPath: base + "/escape.txt"))
        }
    }

    @Test func hostileListingEntryFailsThatFileAndWritesNothingOutside() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/corpus/good.txt", Data("good".utf8))
            let source = InstrumentedEndpoint(LocalEndpoint(root: base + "/corpus"))
            source.extraListing = [ObjectInfo(path: "../../escape.txt", sizeBytes: 4)]
            var options = TransferOptions()
            options.recursive = true
            let (summary, store) = try runLocalCopy(source: base + "/corpus", destination: base + "/dst", options: options,
                                                    home: FerryHome(path: base + "/home"),
                                                    open: { $0.original.hasSuffix("corpus") ? source as any Endpoint : LocalEndpoint(root: $0.original) })
            store.close()
            #expect(summary.state == .completedWithFailures)
            #expect(summary.progress.filesFailed == 1)
            #expect(summary.progress.filesDone == 1)
            #expect(!FileManager.default.fileExists(atPath: base + "/escape.txt"))
            #expect(!FileManager.default.fileExists(atPath: base + "/dst/escape.txt"))
            #expect(FileManager.default.contents(atPath: base + "/dst/corpus/good.txt") == Data("good".utf8))
        }
    }

    @Test func symbolicLinkInsideTheDestinationIsNotFollowed() throws {
        try withTemporaryDirectory { base in
            try FileManager.default.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: base + "/dst", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: base + "/dst/link", withDestinationPath: base + "/outside")
            let endpoint = LocalEndpoint(root: base + "/dst")
            #expect(throws: FerryError.self) {
                _ = try endpoint.makeWriter(for: "link/x.txt", plan: ObjectWritePlan(sizeBytes: 1, blockSizeBytes: 1024))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/outside").isEmpty)
        }
    }

    @Test func listingSkipsSymlinksAndSortsLikeFullPaths() throws {
        try withTemporaryDirectory { base in
            // "a/" must come after "a-b" and "a.txt" ('-' 0x2d, '.' 0x2e < '/' 0x2f) and before "a0".
            for name in ["a/x", "a-b", "a.txt", "a0", "B", "z/y/w"] { try writeFile(base + "/r/" + name, Data()) }
            try FileManager.default.createSymbolicLink(atPath: base + "/r/link", withDestinationPath: base + "/r/a0")
            var listing = try LocalEndpoint(root: base + "/r").list(prefix: "", recursive: true)
            var paths: [String] = []
            while let info = try listing.next() { paths.append(info.path) }
            #expect(paths == ["B", "a-b", "a.txt", "a/x", "a0", "z/y/w"])
        }
    }

    @Test func throttledCopyTakesAtLeastTheTimeItsBytesImply() throws {
        try withTemporaryDirectory { base in
            let byteCount = 2_000_000
            try writeFile(base + "/src/blob.bin", patternData(byteCount, seed: 5))
            var options = TransferOptions()
            options.capMbps = 8  // 1,000,000 bytes per second
            options.blockSizeBytes = 256 << 10
            options.concurrency = 4
            let started = Date()
            let (summary, store) = try runLocalCopy(source: base + "/src/blob.bin", destination: base + "/dst.bin",
                                                    options: options, home: FerryHome(path: base + "/home"))
            store.close()
            let elapsed = Date().timeIntervalSince(started)
            #expect(summary.state == .completed)
            // Lower bound only: bytes / rate, less the bucket's burst allowance.
            let burstSeconds = 0.25
            #expect(elapsed >= Double(byteCount) / 1_000_000 - burstSeconds)
        }
    }

    @Test func aNamedRootThatIsALinkIsFollowed() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/real/a.txt", Data("a".utf8))
            try writeFile(base + "/blobs/sha", Data("weights".utf8))
            try FileManager.default.createSymbolicLink(atPath: base + "/corpus", withDestinationPath: base + "/real")
            try FileManager.default.createSymbolicLink(atPath: base + "/model.bin", withDestinationPath: base + "/blobs/sha")
            var options = TransferOptions()
            options.recursive = true
            let home = FerryHome(path: base + "/home")
            let (tree, store1) = try runLocalCopy(source: base + "/corpus", destination: base + "/out", options: options, home: home)
            store1.close()
            let (file, store2) = try runLocalCopy(source: base + "/model.bin", destination: base + "/out/", options: options, home: home)
            store2.close()
            #expect(tree.state == .completed && file.state == .completed)
            #expect(treeContents(base + "/out") == ["corpus/a.txt": Data("a".utf8), "model.bin": Data("weights".utf8)])
        }
    }

    @Test func buffersAreReusedAndBudgeted() {
        let pool = BufferPool(budgetBytes: 4 << 20)
        let first = pool.tryAcquire(3 << 20)
        #expect(first?.count == 3 << 20)
        #expect(pool.tryAcquire(2 << 20) == nil)  // over budget while the first is held
        pool.release(first!)
        let again = pool.tryAcquire(1000)
        #expect(again?.baseAddress == first?.baseAddress)  // reused, not reallocated
        #expect(BufferPool.capacity(for: (256 << 20) + 1) == 257 << 20)
        #expect(BufferPool.capacity(for: 1) == 64 << 10)
    }
}
