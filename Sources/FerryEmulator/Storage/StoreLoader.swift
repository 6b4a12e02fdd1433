import Foundation

/// Rebuilds the store's index from disk at start-up and removes what no record references
/// (uploads cut short, data of commits that never finished, deleted containers). Runs once,
/// before the server accepts connections. Not thread-safe; used by one thread.
struct StoreLoader {
    static let nameFile = ".name"
    let layout: StorageLayout

    static func nowNanoseconds() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000_000_000) }

    func load() throws -> BlobStore.State {
        for entry in DiskFiles.contents(of: layout.temporaryDirectory) { DiskFiles.remove(layout.temporaryDirectory + "/" + entry) }
        for entry in DiskFiles.contents(of: layout.trashDirectory) { DiskFiles.removeTree(layout.trashDirectory + "/" + entry) }
        var state = BlobStore.State()
        var referenced = Set<String>()
        let decoder = JSONDecoder()
        for name in DiskFiles.contents(of: layout.containersDirectory) {
            guard let data = DiskFiles.read(layout.containerRecordPath(name)),
                  let record = try? decoder.decode(ContainerRecord.self, from: data) else {
                // A create that never finished.
                DiskFiles.removeTree(layout.containerDirectory(name))
                continue
            }
            var container = BlobStore.ContainerState(record: record)
            for file in DiskFiles.contents(of: layout.blobsDirectory(name)) where file.hasSuffix(".json") {
                guard let data = DiskFiles.read(layout.blobsDirectory(name) + "/" + file),
                      let blob = try? decoder.decode(BlobRecord.self, from: data) else { continue }
                container.blobs[NameKey(blob.name)] = blob
                for block in blob.blocks { referenced.insert(block.file) }
            }
            for key in DiskFiles.contents(of: layout.stagedRoot(name)) {
                let directory = layout.stagedRoot(name) + "/" + key
                guard let nameData = DiskFiles.read(directory + "/" + Self.nameFile),
                      let blobName = String(data: nameData, encoding: .utf8) else {
                    DiskFiles.removeTree(directory)
                    continue
                }
                var blocks: [NameKey: StagedBlock] = [:]
                for file in DiskFiles.contents(of: directory) where file != Self.nameFile {
                    guard let id = StorageLayout.blockID(fromHexName: file),
                          let length = try? BlobStore.decodedBlockIDLength(id),
                          let status = DiskFiles.status(directory + "/" + file) else { continue }
                    blocks[NameKey(id)] = StagedBlock(id: id, decodedLength: length, size: status.size,
                                             sequence: status.modifiedNanoseconds)
                    state.stagingSequence = max(state.stagingSequence, status.modifiedNanoseconds)
                }
                if blocks.isEmpty { DiskFiles.removeTree(directory) } else { container.staged[NameKey(blobName)] = blocks }
            }
            state.containers[NameKey(name)] = container
        }
        for file in DiskFiles.contents(of: layout.dataDirectory) where !referenced.contains(file) {
            DiskFiles.remove(layout.dataPath(file))
        }
        return state
    }
}
