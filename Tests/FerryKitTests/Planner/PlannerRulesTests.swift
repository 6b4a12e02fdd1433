import Foundation
import Testing
@testable import FerryKit

@Suite struct PlannerRulesTests {
    @Test func directorySourceLandsUnderItsName() {
        let mapping = PathMapping(source: .directory(name: "corpus"), destinationIsContainer: false)
        #expect(mapping.destinationPath(forSource: "a/b.txt") == "corpus/a/b.txt")
    }

    @Test func contentsWildcardLandsDirectly() {
        let mapping = PathMapping(source: .directoryContents, destinationIsContainer: true)
        #expect(mapping.destinationPath(forSource: "a/b.txt") == "a/b.txt")
    }

    @Test func singleFileKeepsNameOnlyInAContainer() {
        #expect(PathMapping(source: .file(name: "m.bin"), destinationIsContainer: true).destinationPath(forSource: "") == "m.bin")
        #expect(PathMapping(source: .file(name: "m.bin"), destinationIsContainer: false).destinationPath(forSource: "") == "")
    }

    @Test func locationsParseWildcardsContainersAndNames() throws {
        let contents = try EndpointLocation("http://127.0.0.1:10000/devstoreaccount1/data/corpus/*?sv=1&sig=SECRET")
        #expect(contents.isContentsWildcard)
        #expect(contents.original == "http://127.0.0.1:10000/devstoreaccount1/data/corpus?sv=1&sig=SECRET")
        #expect(contents.lastComponent == "corpus")
        #expect(!contents.redacted.contains("SECRET"))
        #expect(!contents.root.contains("sig"))
        #expect(try EndpointLocation("http://127.0.0.1:10000/devstoreaccount1/data").isContainerRoot)
        #expect(try EndpointLocation("https://acct.blob.core.windows.net/data?sig=x").isContainerRoot)
        #expect(!(try EndpointLocation("https://acct.blob.core.windows.net/data/p").isContainerRoot))
        #expect(try EndpointLocation("https://acct.blob.core.windows.net/data/p/").endsWithSlash)
        #expect(try EndpointLocation("./corpus/").lastComponent == "corpus")
        #expect(throws: FerryError.self) { try EndpointLocation("s3x://bucket/x") }
    }

    @Test func filtersMatchTheFileNameOnly() {
        let filter = PathFilter(includePattern: "*.parquet; *.json", excludePattern: "tmp-*")
        #expect(filter.accepts(path: "a/b/shard-001.parquet", lastModified: nil))
        #expect(filter.accepts(path: "meta.json", lastModified: nil))
        #expect(!filter.accepts(path: "a/tmp-1.parquet", lastModified: nil))
        #expect(!filter.accepts(path: "a/readme.md", lastModified: nil))
        // Directory names do not count for a pattern without '/'.
        #expect(!PathFilter(includePattern: "*.txt", excludePattern: nil).accepts(path: "txt/a.bin", lastModified: nil))
        #expect(PathFilter().accepts(path: "anything", lastModified: nil))
    }

    @Test func overwriteDecisions() {
        let old = Date(timeIntervalSince1970: 1000)
        let new = Date(timeIntervalSince1970: 2000)
        let source = ObjectInfo(path: "a", sizeBytes: 1, lastModified: new)
        let olderCopy = ObjectInfo(path: "a", sizeBytes: 1, lastModified: old)
        let newerCopy = ObjectInfo(path: "a", sizeBytes: 1, lastModified: Date(timeIntervalSince1970: 3000))
        #expect(OverwritePolicy.always.decide(source: source, existing: newerCopy) == .transfer)
        #expect(OverwritePolicy.never.decide(source: source, existing: olderCopy) == .skipExists)
        #expect(OverwritePolicy.never.decide(source: source, existing: nil) == .transfer)
        #expect(OverwritePolicy.ifSourceNewer.decide(source: source, existing: olderCopy) == .transfer)
        #expect(OverwritePolicy.ifSourceNewer.decide(source: source, existing: newerCopy) == .skipNotNewer)
        #expect(OverwritePolicy.ifSourceNewer.decide(source: source, existing: ObjectInfo(path: "a", sizeBytes: 1, lastModified: new))
                == .skipNotNewer)
        #expect(!OverwritePolicy.always.needsDestinationState)
    }

    @Test func plansAreSingleShotUpToTheBlockSizeAndStable() throws {
        let capabilities = BlockSizingTests.azure
        let planner = TransferPlanner(mapping: PathMapping(source: .directory(name: "c"), destinationIsContainer: false),
                                      filter: PathFilter(includePattern: nil, excludePattern: "*.tmp"), destination: capabilities,
                                      requestedBlockSizeBytes: 1000)
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let atLimit = try #require(try planner.plan(ObjectInfo(path: "x/a.bin", sizeBytes: 1000, lastModified: date)))
        #expect(atLimit.isSingleShot)
        #expect(atLimit.destinationPath == "c/x/a.bin")
        let over = try #require(try planner.plan(ObjectInfo(path: "x/b.bin", sizeBytes: 2001, lastModified: date)))
        #expect(!over.isSingleShot)
        let blocks = over.blocks()
        #expect(blocks.map(\.length) == [1000, 1000, 1])
        #expect(blocks.map(\.offset) == [0, 1000, 2000])
        #expect(Set(blocks.map(\.layout)) == [over.layout])
        #expect(over.blocks() == blocks)  // the same inputs give the same blocks (resume relies on it)
        var touched = over
        touched.lastModified = date.addingTimeInterval(1)
        #expect(touched.layout == over.layout)  // a new checkout of the same file can reuse staged blocks
        touched.blockSizeBytes = 999
        #expect(touched.layout != over.layout)
        #expect(try planner.plan(ObjectInfo(path: "x/skip.tmp", sizeBytes: 5)) == nil)
    }

    @Test func contentTypesComeFromTheFileName() {
        #expect(ContentType.guess(path: "a/b/train-0001.parquet") == "application/vnd.apache.parquet")
        #expect(ContentType.guess(path: "meta.JSON") == "application/json")
        #expect(ContentType.guess(path: "weights") == "application/octet-stream")
        #expect(ContentType.guess(path: "dir.v2/.hidden") == "application/octet-stream")
    }
}
