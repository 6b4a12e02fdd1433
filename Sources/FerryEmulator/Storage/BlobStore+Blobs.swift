import Foundation

extension BlobStore {
    /// The committed blob, or nil; throws ContainerNotFound when the container is missing.
    func blob(_ container: String, _ name: String) throws(ServiceError) -> BlobRecord? {
        let found: (exists: Bool, blob: BlobRecord?) = state.withLock { state in
            guard let container = state.containers[container] else { return (false, nil) }
            return (true, container.blobs[name])
        }
        guard found.exists else { throw .containerNotFound() }
        return found.blob
    }

    /// Stores an uploaded file (already in `tmp/`) as the blob's whole content, replacing its
    /// content, settings and metadata and dropping its staged blocks (Put Blob).
    func putBlob(_ container: String, _ name: String, uploadedFile: String, size: Int64, settings: BlobContentSettings,
                 metadata: [MetadataEntry], conditions: AccessConditions) throws -> BlobRecord {
        let file = UUID().uuidString
        let result: (record: BlobRecord, obsolete: [String]) = try withContainer(container) { containerState in
            let previous = containerState.blobs[name]
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .create) {
                throw failure
            }
            try DiskFiles.move(uploadedFile, to: layout.dataPath(file))
            let now = Date()
            let record = BlobRecord(name: name, settings: settings, metadata: metadata,
                                    blocks: [CommittedBlock(id: nil, size: size, file: file)], size: size,
                                    etag: etags.next(at: now), lastModified: now, creationTime: previous?.creationTime ?? now)
            do {
                try persist(record, container: container)
            } catch {
                DiskFiles.remove(layout.dataPath(file))
                throw error
            }
            if previous == nil { containerState.sortedNames = nil }
            containerState.blobs[name] = record
            let hadStaged = containerState.staged.removeValue(forKey: name) != nil
            if hadStaged { DiskFiles.removeTree(layout.stagedDirectory(container, name)) }
            return (record, previous?.blocks.map(\.file) ?? [])
        }
        for file in result.obsolete { DiskFiles.remove(layout.dataPath(file)) }
        return result.record
    }

    /// Makes the listed blocks the blob's content (Put Block List): staged blocks get a second
    /// name under `data/` (no bytes move), the record is written, then leftovers are dropped.
    func commitBlockList(_ container: String, _ name: String, entries: [(BlockListSource, String)],
                         settings: BlobContentSettings, metadata: [MetadataEntry],
                         conditions: AccessConditions) throws -> BlobRecord {
        let result: (record: BlobRecord, obsolete: [String]) = try withContainer(container) { containerState in
            let previous = containerState.blobs[name]
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .create) {
                throw failure
            }
            let staged = containerState.staged[name] ?? [:]
            var committedByID: [String: CommittedBlock] = [:]
            for block in previous?.blocks ?? [] where block.id != nil {
                if committedByID[block.id!] == nil { committedByID[block.id!] = block }
            }
            var linkedStaged: [String: String] = [:]  // block ID → new data file
            var blocks: [CommittedBlock] = []
            blocks.reserveCapacity(entries.count)
            do {
                for (source, id) in entries {
                    let stagedBlock = source == .committed ? nil : staged[id]
                    if let stagedBlock {
                        let file: String
                        if let linked = linkedStaged[id] {
                            file = linked
                        } else {
                            file = UUID().uuidString
                            try DiskFiles.hardLink(layout.stagedBlockPath(container, name, blockID: id), to: layout.dataPath(file))
                            linkedStaged[id] = file
                        }
                        blocks.append(CommittedBlock(id: id, size: stagedBlock.size, file: file))
                    } else if source != .uncommitted, let committed = committedByID[id] {
                        blocks.append(committed)
                    } else {
                        throw ServiceError(status: 400, code: "InvalidBlockList", message: "The specified block list is invalid.")
                    }
                }
                let now = Date()
                let size = blocks.reduce(Int64(0)) { $0 + $1.size }
                let record = BlobRecord(name: name, settings: settings, metadata: metadata, blocks: blocks, size: size,
                                        etag: etags.next(at: now), lastModified: now,
                                        creationTime: previous?.creationTime ?? now)
                try persist(record, container: container)
                if previous == nil { containerState.sortedNames = nil }
                containerState.blobs[name] = record
                containerState.staged[name] = nil
                    DiskFiles.removeTree(layout.stagedDirectory(container, name))
                let kept = Set(blocks.map(\.file))
                return (record, (previous?.blocks ?? []).map(\.file).filter { !kept.contains($0) })
            } catch {
                for file in linkedStaged.values { DiskFiles.remove(layout.dataPath(file)) }
                throw error
            }
        }
        for file in Set(result.obsolete) { DiskFiles.remove(layout.dataPath(file)) }
        return result.record
    }

    /// Deletes the committed blob and its staged blocks; 404 when neither exists.
    func deleteBlob(_ container: String, _ name: String, conditions: AccessConditions) throws {
        let obsolete: [String] = try withContainer(container) { containerState in
            let previous = containerState.blobs[name]
            let hasStaged = containerState.staged[name] != nil
            guard previous != nil || hasStaged else { throw ServiceError.blobNotFound() }
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .write) {
                throw failure
            }
            if previous != nil {
                guard unlink(layout.blobRecordPath(container, name)) == 0 || errno == ENOENT else {
                    throw ServiceError.internalError("cannot delete the blob record: \(DiskFiles.errnoText())")
                }
                containerState.blobs[name] = nil
                containerState.sortedNames = nil
            }
            containerState.staged[name] = nil
            if hasStaged { DiskFiles.removeTree(layout.stagedDirectory(container, name)) }
            return previous?.blocks.map(\.file) ?? []
        }
        for file in Set(obsolete) { DiskFiles.remove(layout.dataPath(file)) }
    }

    /// Applies `change` to an existing committed blob with a new ETag (Set Metadata / Properties).
    func updateBlob(_ container: String, _ name: String, conditions: AccessConditions,
                    change: (inout BlobRecord) -> Void) throws -> BlobRecord {
        try withContainer(container) { containerState in
            guard var record = containerState.blobs[name] else { throw ServiceError.blobNotFound() }
            if let failure = conditions.check(etag: record.etag, lastModified: record.lastModified, kind: .write) {
                throw failure
            }
            change(&record)
            let now = Date()
            record.etag = etags.next(at: now)
            record.lastModified = now
            try persist(record, container: container)
            containerState.blobs[name] = record
            return record
        }
    }
}

extension BlobStore {
    /// Makes `name` a copy of the committed blob `source` (Copy Blob, Put Blob From URL): every
    /// data file gets a second name (a hard link), so no bytes move. `settings`/`metadata` nil
    /// keep the source's.
    func copyBlob(from sourceContainer: String, _ sourceName: String, to container: String, _ name: String,
                  settings: BlobContentSettings?, metadata: [MetadataEntry]?, copy: CopyRecord?,
                  conditions: AccessConditions) throws -> BlobRecord {
        let result: (record: BlobRecord, obsolete: [String]) = try state.withLock { state in
            guard let source = state.containers[sourceContainer]?.blobs[sourceName] else {
                throw ServiceError(status: 404, code: "CannotVerifyCopySource", message: "The specified blob does not exist.")
            }
            guard state.containers[container] != nil else { throw ServiceError.containerNotFound() }
            let previous = state.containers[container]!.blobs[name]
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .create) {
                throw failure
            }
            var linked: [String: String] = [:]
            var blocks: [CommittedBlock] = []
            do {
                for block in source.blocks {
                    let file = linked[block.file] ?? UUID().uuidString
                    if linked[block.file] == nil {
                        try DiskFiles.hardLink(layout.dataPath(block.file), to: layout.dataPath(file))
                        linked[block.file] = file
                    }
                    blocks.append(CommittedBlock(id: block.id, size: block.size, file: file))
                }
                let now = Date()
                var finished = copy
                finished?.totalBytes = source.size
                finished?.completionTime = now
                let record = BlobRecord(name: name, settings: settings ?? source.settings, metadata: metadata ?? source.metadata,
                                        blocks: blocks, size: source.size, etag: etags.next(at: now), lastModified: now,
                                        creationTime: previous?.creationTime ?? now, copy: finished)
                try persist(record, container: container)
                if previous == nil { state.containers[container]!.sortedNames = nil }
                state.containers[container]!.blobs[name] = record
                let hadStaged = state.containers[container]!.staged.removeValue(forKey: name) != nil
                if hadStaged { DiskFiles.removeTree(layout.stagedDirectory(container, name)) }
                return (record, previous?.blocks.map(\.file) ?? [])
            } catch {
                for file in linked.values { DiskFiles.remove(layout.dataPath(file)) }
                throw error
            }
        }
        for file in Set(result.obsolete) { DiskFiles.remove(layout.dataPath(file)) }
        return result.record
    }
}
