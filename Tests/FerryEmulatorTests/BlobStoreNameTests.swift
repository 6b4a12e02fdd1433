import Foundation
import Testing
@testable import FerryEmulator

/// Names are bytes: an NFC and an NFD spelling of `café` are two blobs, in memory, in listings
/// and after a reload, as in Azure Storage (Swift `String` equality would make them one).
@Suite struct BlobStoreNameTests {
    let location = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-names-\(UUID().uuidString)").path
    let nfc = "set/caf\u{E9}"  // 63 61 66 C3 A9
    let nfd = "set/cafe\u{301}"  // 63 61 66 65 CC 81

    private func put(_ store: BlobStore, _ name: String, _ text: String) throws {
        let path = store.layout.newTemporaryPath()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        _ = try store.putBlob("box", name, uploadedFile: path, size: Int64(text.utf8.count), settings: BlobContentSettings(),
                              metadata: [], conditions: AccessConditions())
    }

    private func content(_ store: BlobStore, _ name: String) throws -> String {
        let record = try #require(try store.blob("box", name))
        #expect(Array(record.name.utf8) == Array(name.utf8))
        return try record.blocks.map { try String(contentsOfFile: store.layout.dataPath($0.file), encoding: .utf8) }.joined()
    }

    /// The UTF-8 bytes of each listed name (blobs and prefixes), in listing order.
    private func listed(_ store: BlobStore, prefix: String? = nil, delimiter: String? = nil) throws -> [[UInt8]] {
        try store.listBlobs("box", prefix: prefix, delimiter: delimiter, marker: nil, maxResults: 5000,
                            includeUncommitted: true).entries.map { entry in
            switch entry {
            case .blob(let record, _): Array(record.name.utf8)
            case .prefix(let name): Array(name.utf8)
            }
        }
    }

    @Test func nfcAndNfdNamesAreTwoBlobs() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        let store = try BlobStore(location: location)
        _ = try store.createContainer("box", metadata: [], publicAccess: "none")
        try put(store, nfc, "composed")
        try put(store, nfd, "decomposed")
        #expect(try content(store, nfc) == "composed")
        #expect(try content(store, nfd) == "decomposed")
        // Byte order: "e" (65) sorts before C3.
        #expect(try listed(store) == [Array(nfd.utf8), Array(nfc.utf8)])
        #expect(try listed(store, prefix: "set/cafe\u{301}") == [Array(nfd.utf8)])
        #expect(try listed(store, prefix: "set/caf\u{E9}") == [Array(nfc.utf8)])
        #expect(try listed(store, prefix: "set/cafe") == [Array(nfd.utf8)])

        try store.deleteBlob("box", nfd, conditions: AccessConditions())
        #expect(try store.blob("box", nfd) == nil)
        #expect(try content(store, nfc) == "composed")
        #expect(try listed(store) == [Array(nfc.utf8)])
        #expect(try listed(store, prefix: nfd).isEmpty)
    }

    @Test func stagedBlocksAndReloadKeepBothNames() throws {
        defer { try? FileManager.default.removeItem(atPath: location) }
        do {
            let store = try BlobStore(location: location)
            _ = try store.createContainer("box", metadata: [], publicAccess: "none")
            try put(store, nfc, "composed")
            try put(store, nfd, "decomposed")
            for (name, text) in [("dir/\u{C5}", "angstrom, NFC"), ("dir/A\u{30A}", "angstrom, NFD")] {
                let path = store.layout.newTemporaryPath()
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                try store.stageBlock("box", name, id: "QUFBQQ==", decodedLength: 4, uploadedFile: path, size: Int64(text.utf8.count))
            }
            #expect(try store.blockLists("box", "dir/\u{C5}").uncommitted.map(\.size) == [13])
            _ = try store.commitBlockList("box", "dir/\u{C5}", entries: [(.latest, "QUFBQQ==")], settings: BlobContentSettings(),
                                          metadata: [], conditions: AccessConditions())
            // Committing the NFC name leaves the NFD name's staged block alone.
            #expect(try store.blockLists("box", "dir/A\u{30A}").uncommitted.map(\.id) == ["QUFBQQ=="])
        }
        let reloaded = try BlobStore(location: location)
        #expect(try content(reloaded, nfc) == "composed")
        #expect(try content(reloaded, nfd) == "decomposed")
        #expect(try content(reloaded, "dir/\u{C5}") == "angstrom, NFC")
        #expect(try reloaded.blob("box", "dir/A\u{30A}") == nil)
        #expect(try reloaded.blockLists("box", "dir/A\u{30A}").uncommitted.map(\.size) == [13])
        #expect(try listed(reloaded, delimiter: "/") == [Array("dir/".utf8), Array("set/".utf8)])
        #expect(try listed(reloaded, prefix: "set/", delimiter: "/") == [Array(nfd.utf8), Array(nfc.utf8)])
        #expect(try listed(reloaded, prefix: "dir/") == [Array("dir/A\u{30A}".utf8), Array("dir/\u{C5}".utf8)])
    }
}
