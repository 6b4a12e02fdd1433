import Foundation
import Testing
@testable import FerryEmulator

/// The store on a temporary directory: block rules, commits, deletes and reloading.
@Suite struct BlobStoreTests {
    let location = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-store-\(UUID().uuidString)").path

    private func upload(_ store: BlobStore, _ text: String) throws -> (path: String, size: Int64) {
        let path = store.layout.newTemporaryPath()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (path, Int64(text.utf8.count))
    }

    private func stage(_ store: BlobStore, _ blob: String, _ id: String, _ text: String) throws {
        let file = try upload(store, text)
        try store.stageBlock("box", blob, id: id, decodedLength: try BlobStore.decodedBlockIDLength(id),
                             uploadedFile: file.path, size: file.size)
    }

    private func content(_ store: BlobStore, _ blob: String) throws -> String {
        let record = try #require(try store.blob("box", blob))
        return try record.blocks.map { block in
            try String(contentsOfFile: store.layout.dataPath(block.file), encoding: .utf8)
        }.joined()
    }

    @Test func commitOrdersBlocksAndDropsLeftovers() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        let store = try BlobStore(location: location)
        _ = try store.createContainer("box", metadata: [], publicAccess: "none")
        try stage(store, "b", "QUFBQQ==", "one-")
        try stage(store, "b", "QkJCQg==", "two-")
        try stage(store, "b", "Q0NDQw==", "unused")
        #expect(try store.blob("box", "b") == nil)  // uncommitted blobs are invisible
        _ = try store.commitBlockList("box", "b", entries: [(.latest, "QkJCQg=="), (.uncommitted, "QUFBQQ==")],
                                      settings: BlobContentSettings(), metadata: [], conditions: AccessConditions())
        #expect(try content(store, "b") == "two-one-")
        let lists = try store.blockLists("box", "b")
        #expect(lists.committed.map(\.id) == ["QkJCQg==", "QUFBQQ=="])
        #expect(lists.uncommitted.isEmpty)
        // Recommit using the committed list only; a new staged block with the same ID wins for Latest.
        try stage(store, "b", "QUFBQQ==", "ONE-")
        _ = try store.commitBlockList("box", "b", entries: [(.committed, "QkJCQg=="), (.latest, "QUFBQQ==")],
                                      settings: BlobContentSettings(), metadata: [], conditions: AccessConditions())
        #expect(try content(store, "b") == "two-ONE-")
        #expect(throws: ServiceError.self) {
            try store.commitBlockList("box", "b", entries: [(.uncommitted, "QkJCQg==")], settings: BlobContentSettings(),
                                      metadata: [], conditions: AccessConditions())
        }
    }

    @Test func blockIDRules() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        let store = try BlobStore(location: location)
        _ = try store.createContainer("box", metadata: [], publicAccess: "none")
        try stage(store, "b", "QUFBQQ==", "x")
        #expect(throws: ServiceError.self) { try stage(store, "b", "QUE=", "y") }  // different length
        #expect(throws: ServiceError.self) { try BlobStore.decodedBlockIDLength("not base64!") }
        #expect(throws: ServiceError.self) { try BlobStore.decodedBlockIDLength(Data(count: 65).base64EncodedString()) }
        #expect(try BlobStore.decodedBlockIDLength(Data(count: 64).base64EncodedString()) == 64)
    }

    @Test func deleteRemovesStagedOnlyBlobsAndData() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        let store = try BlobStore(location: location)
        _ = try store.createContainer("box", metadata: [], publicAccess: "none")
        try stage(store, "staged", "QUFBQQ==", "x")
        try store.deleteBlob("box", "staged", conditions: AccessConditions())
        #expect(throws: ServiceError.self) { try store.blockLists("box", "staged") }
        let file = try upload(store, "whole")
        _ = try store.putBlob("box", "p", uploadedFile: file.path, size: file.size, settings: BlobContentSettings(),
                              metadata: [], conditions: AccessConditions())
        #expect(DiskFiles.contents(of: store.layout.dataDirectory).count == 1)
        try store.deleteBlob("box", "p", conditions: AccessConditions())
        #expect(DiskFiles.contents(of: store.layout.dataDirectory).isEmpty)
        #expect(throws: ServiceError.self) { try store.deleteBlob("box", "p", conditions: AccessConditions()) }
    }

    @Test func reloadKeepsEverythingAndCollectsOrphans() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        do {
            let store = try BlobStore(location: location)
            _ = try store.createContainer("box", metadata: [MetadataEntry(name: "k", value: "v")], publicAccess: "blob")
            let file = try upload(store, "kept")
            _ = try store.putBlob("box", "dir/kept", uploadedFile: file.path, size: file.size, settings: BlobContentSettings(),
                                  metadata: [MetadataEntry(name: "m", value: "1")], conditions: AccessConditions())
            try stage(store, "later", "QUFBQQ==", "s")
            try Data("orphan".utf8).write(to: URL(fileURLWithPath: store.layout.dataPath("orphan")))
        }
        let reloaded = try BlobStore(location: location)
        #expect(reloaded.container("box")?.metadata == [MetadataEntry(name: "k", value: "v")])
        #expect(reloaded.container("box")?.publicAccess == "blob")
        #expect(try content(reloaded, "dir/kept") == "kept")
        #expect(try reloaded.blob("box", "dir/kept")?.metadata == [MetadataEntry(name: "m", value: "1")])
        #expect(try reloaded.blockLists("box", "later").uncommitted == [ListedBlock(id: "QUFBQQ==", size: 1)])
        #expect(!DiskFiles.contents(of: reloaded.layout.dataDirectory).contains("orphan"))
    }

    @Test func conditionsGuardWrites() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        let store = try BlobStore(location: location)
        _ = try store.createContainer("box", metadata: [], publicAccess: "none")
        let first = try upload(store, "a")
        let record = try store.putBlob("box", "c", uploadedFile: first.path, size: 1, settings: BlobContentSettings(),
                                       metadata: [], conditions: AccessConditions())
        let second = try upload(store, "b")
        #expect(throws: ServiceError.self) {
            try store.putBlob("box", "c", uploadedFile: second.path, size: 1, settings: BlobContentSettings(), metadata: [],
                              conditions: AccessConditions(ifNoneMatch: "*"))
        }
        let updated = try store.updateBlob("box", "c", conditions: AccessConditions(ifMatch: record.etag)) { $0.metadata = [] }
        #expect(updated.etag != record.etag)
        #expect(throws: ServiceError.self) {
            try store.updateBlob("box", "c", conditions: AccessConditions(ifMatch: record.etag)) { _ in }
        }
    }
}
