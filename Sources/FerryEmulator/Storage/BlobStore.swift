import Foundation

/// The emulator's account state: containers, committed blobs and staged blocks, kept in memory
/// and persisted under `--location` with write-then-rename, so a `kill -9` loses nothing that was
/// acknowledged. Thread-safe: one `SleepingLock` guards the index; its methods do blocking file I/O and
/// must be called from the I/O thread pool, never from an event loop or Swift's cooperative pool.
final class BlobStore: Sendable {
    struct ContainerState: Sendable {
        var record: ContainerRecord
        /// Every index is keyed by name bytes (`NameKey`), never by `String`: an NFC and an NFD
        /// spelling of a name are two blobs, as in Azure Storage.
        var blobs: [NameKey: BlobRecord] = [:]
        /// Staged blocks per blob name, by block ID.
        var staged: [NameKey: [NameKey: StagedBlock]] = [:]
        /// Committed blob names in byte order, rebuilt lazily after a change.
        var sortedNames: [NameKey]?
    }

    struct State: Sendable {
        var containers: [NameKey: ContainerState] = [:]
        var stagingSequence: UInt64 = 0
    }

    let layout: StorageLayout
    let etags = ETagSource()
    let state = SleepingLock(State())

    /// Opens (creating if needed) the store at `location` and loads its index.
    init(location: String) throws {
        layout = StorageLayout(root: location)
        for directory in [layout.containersDirectory, layout.dataDirectory, layout.temporaryDirectory, layout.trashDirectory] {
            try DiskFiles.makeDirectory(directory)
        }
        let loaded = try StoreLoader(layout: layout).load()
        state.withLock { $0 = loaded }
    }

    // MARK: Containers

    func container(_ name: String) -> ContainerRecord? {
        state.withLock { $0.containers[NameKey(name)]?.record }
    }

    func createContainer(_ name: String, metadata: [MetadataEntry], publicAccess: String) throws -> ContainerRecord {
        try state.withLock { state in
            let key = NameKey(name)
            if state.containers[key] != nil {
                throw ServiceError(status: 409, code: "ContainerAlreadyExists", message: "The specified container already exists.")
            }
            let now = Date()
            let record = ContainerRecord(name: name, metadata: metadata, publicAccess: publicAccess,
                                         etag: etags.next(at: now), lastModified: now)
            for directory in [layout.blobsDirectory(name), layout.stagedRoot(name)] {
                try DiskFiles.makeDirectory(directory)
            }
            try persist(record)
            state.containers[key] = ContainerState(record: record)
            return record
        }
    }

    func setContainerMetadata(_ name: String, metadata: [MetadataEntry], conditions: AccessConditions) throws -> ContainerRecord {
        try withContainer(name) { container in
            if let failure = conditions.check(etag: container.record.etag, lastModified: container.record.lastModified, kind: .write) {
                throw failure
            }
            let now = Date()
            var record = container.record
            record.metadata = metadata
            record.etag = etags.next(at: now)
            record.lastModified = now
            try persist(record)
            container.record = record
            return record
        }
    }

    func deleteContainer(_ name: String, conditions: AccessConditions) throws {
        let removed: ContainerState = try state.withLock { state in
            let key = NameKey(name)
            guard let container = state.containers[key] else { throw ServiceError.containerNotFound() }
            if let failure = conditions.check(etag: container.record.etag, lastModified: container.record.lastModified, kind: .write) {
                throw failure
            }
            let trash = layout.trashDirectory + "/" + UUID().uuidString
            try DiskFiles.move(layout.containerDirectory(name), to: trash)
            state.containers[key] = nil
            return container
        }
        // Outside the lock: the container is already gone from the index and from its path.
        for blob in removed.blobs.values {
            for block in blob.blocks { DiskFiles.remove(layout.dataPath(block.file)) }
        }
        for entry in DiskFiles.contents(of: layout.trashDirectory) {
            DiskFiles.removeTree(layout.trashDirectory + "/" + entry)
        }
    }

    func listContainers(prefix: String?, marker: String?, maxResults: Int) -> (containers: [ContainerRecord], nextMarker: String?) {
        state.withLock { state in
            let names = state.containers.keys.sorted()
            let page = ListingPage.paginate(sortedNames: names, prefix: prefix, delimiter: nil, marker: marker,
                                            maxResults: maxResults)
            let records = page.items.compactMap { item -> ContainerRecord? in
                if case .blob(let name) = item { return state.containers[name]?.record }
                return nil
            }
            return (records, page.nextMarker)
        }
    }

    // MARK: Persistence helpers (called with the lock held)

    func persist(_ record: ContainerRecord) throws {
        try DiskFiles.writeAtomically(try JSONEncoder().encode(record), to: layout.containerRecordPath(record.name),
                                      temporaryDirectory: layout.temporaryDirectory)
    }

    func persist(_ record: BlobRecord, container: String) throws {
        try DiskFiles.writeAtomically(try JSONEncoder().encode(record), to: layout.blobRecordPath(container, record.name),
                                      temporaryDirectory: layout.temporaryDirectory)
    }
}

extension BlobStore {
    /// Runs `body` on the container's state in place (no copy of its blob index), under the lock.
    func withContainer<T: Sendable>(_ name: String, _ body: (inout ContainerState) throws -> T) throws -> T {
        try state.withLock { state in
            let key = NameKey(name)
            guard state.containers[key] != nil else { throw ServiceError.containerNotFound() }
            return try body(&state.containers[key]!)
        }
    }
}
