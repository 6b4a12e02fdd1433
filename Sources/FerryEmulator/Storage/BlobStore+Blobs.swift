import Foundation

extension BlobStore {
    /// The committed blob, or nil; throws ContainerNotFound when the container is missing.
    func blob(_ container: String, _ name: String) throws(ServiceError) -> BlobRecord? {
        let found: (exists: Bool, blob: BlobRecord?) = state.withLock { state in
            guard let container = state.containers[NameKey(container)] else { return (false, nil) }
            return (true, container.blobs[NameKey(name)])
        }
        guard found.exists else { throw .containerNotFound() }
        return found.blob
    }

    /// Stores an uploaded file (already in `tmp/`) as the blob's whole content, replacing its
    /// content, settings and metadata and dropping its staged blocks (Put Blob).
    func putBlob(_ container: String, _ name: String, uploadedFile: String, size: Int64, settings: BlobContentSettings,
                 metadata: [MetadataEntry], accessTier: AccessTier? = nil, conditions: AccessConditions) throws -> BlobRecord {
        let file = UUID().uuidString
        let result: (record: BlobRecord, obsolete: [String]) = try withContainer(container) { containerState in
            let key = NameKey(name)
            let previous = containerState.blobs[key]
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .create) {
                throw failure
            }
            try DiskFiles.move(uploadedFile, to: layout.dataPath(file))
            let now = Date()
            var record = BlobRecord(name: name, settings: settings, metadata: metadata,
                                    blocks: [CommittedBlock(id: nil, size: size, file: file)], size: size,
                                    etag: etags.next(at: now), lastModified: now, creationTime: previous?.creationTime ?? now)
            record.setTier(accessTier, at: now)
            do {
                try persist(record, container: container)
            } catch {
                DiskFiles.remove(layout.dataPath(file))
                throw error
            }
            if previous == nil { containerState.sortedNames = nil }
            containerState.blobs[key] = record
            let hadStaged = containerState.staged.removeValue(forKey: key) != nil
            if hadStaged { DiskFiles.removeTree(layout.stagedDirectory(container, name)) }
            return (record, previous?.blocks.map(\.file) ?? [])
        }
        for file in result.obsolete { DiskFiles.remove(layout.dataPath(file)) }
        return result.record
    }

    /// Makes the listed blocks the blob's content (Put Block List): staged blocks get a second
    /// name under `data/` (no bytes move), the record is written, then leftovers are dropped.
    func commitBlockList(_ container: String, _ name: String, entries: [(BlockListSource, String)],
                         settings: BlobContentSettings, metadata: [MetadataEntry], accessTier: AccessTier? = nil,
                         conditions: AccessConditions) throws -> BlobRecord {
        let result: (record: BlobRecord, obsolete: [String]) = try withContainer(container) { containerState in
            let key = NameKey(name)
            let previous = containerState.blobs[key]
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .create) {
                throw failure
            }
            let staged = containerState.staged[key] ?? [:]
            var committedByID: [NameKey: CommittedBlock] = [:]
            for block in previous?.blocks ?? [] {
                if let id = block.id, committedByID[NameKey(id)] == nil { committedByID[NameKey(id)] = block }
            }
            var linkedStaged: [NameKey: String] = [:]  // block ID → new data file
            var blocks: [CommittedBlock] = []
            blocks.reserveCapacity(entries.count)
            do {
                for (source, id) in entries {
                    let idKey = NameKey(id)
                    let stagedBlock = source == .committed ? nil : staged[idKey]
                    if let stagedBlock {
                        let file: String
                        if let linked = linkedStaged[idKey] {
                            file = linked
                        } else {
                            file = UUID().uuidString
                            try DiskFiles.hardLink(layout.stagedBlockPath(container, name, blockID: id), to: layout.dataPath(file))
                            linkedStaged[idKey] = file
                        }
                        blocks.append(CommittedBlock(id: id, size: stagedBlock.size, file: file))
                    } else if source != .uncommitted, let committed = committedByID[idKey] {
                        blocks.append(committed)
                    } else {
                        throw ServiceError(status: 400, code: "InvalidBlockList", message: "The specified block list is invalid.")
                    }
                }
                let now = Date()
                let size = blocks.reduce(Int64(0)) { $0 + $1.size }
                var record = BlobRecord(name: name, settings: settings, metadata: metadata, blocks: blocks, size: size,
                                        etag: etags.next(at: now), lastModified: now,
                                        creationTime: previous?.creationTime ?? now)
                record.setTier(accessTier, at: now)
                try persist(record, container: container)
                if previous == nil { containerState.sortedNames = nil }
                containerState.blobs[key] = record
                containerState.staged[key] = nil
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
            let key = NameKey(name)
            let previous = containerState.blobs[key]
            let hasStaged = containerState.staged[key] != nil
            guard previous != nil || hasStaged else { throw ServiceError.blobNotFound() }
            if let failure = conditions.check(etag: previous?.etag, lastModified: previous?.lastModified, kind: .write) {
                throw failure
            }
            if previous != nil {
                guard unlink(layout.blobRecordPath(container, name)) == 0 || errno == ENOENT else {
                    throw ServiceError.internalError("cannot delete the blob record: \(DiskFiles.errnoText())")
                }
                containerState.blobs[key] = nil
                containerState.sortedNames = nil
            }
            containerState.staged[key] = nil
            if hasStaged { DiskFiles.removeTree(layout.stagedDirectory(container, name)) }
            return previous?.blocks.map(\.file) ?? []
        }
        for file in Set(obsolete) { DiskFiles.remove(layout.dataPath(file)) }
    }

    /// Applies `change` to an existing committed blob with a new ETag (Set Metadata / Properties).
    func updateBlob(_ container: String, _ name: String, conditions: AccessConditions,
                    change: (inout BlobRecord) -> Void) throws -> BlobRecord {
        try withContainer(container) { containerState in
            let key = NameKey(name)
            guard var record = containerState.blobs[key] else { throw ServiceError.blobNotFound() }
            if let failure = conditions.check(etag: record.etag, lastModified: record.lastModified, kind: .write) {
                throw failure
            }
            change(&record)
            let now = Date()
            record.etag = etags.next(at: now)
            record.lastModified = now
            try persist(record, container: container)
            containerState.blobs[key] = record
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
                  accessTier: AccessTier? = nil, conditions: AccessConditions) throws -> BlobRecord {
        let result: (record: BlobRecord, obsolete: [String]) = try state.withLock { state in
            let (target, key) = (NameKey(container), NameKey(name))
            guard let source = state.containers[NameKey(sourceContainer)]?.blobs[NameKey(sourceName)] else {
                throw ServiceError(status: 404, code: "CannotVerifyCopySource", message: "The specified blob does not exist.")
            }
            guard state.containers[target] != nil else { throw ServiceError.containerNotFound() }
            let previous = state.containers[target]!.blobs[key]
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
                var record = BlobRecord(name: name, settings: settings ?? source.settings, metadata: metadata ?? source.metadata,
                                        blocks: blocks, size: source.size, etag: etags.next(at: now), lastModified: now,
                                        creationTime: previous?.creationTime ?? now, copy: finished)
                record.setTier(accessTier, at: now)
                try persist(record, container: container)
                if previous == nil { state.containers[target]!.sortedNames = nil }
                state.containers[target]!.blobs[key] = record
                let hadStaged = state.containers[target]!.staged.removeValue(forKey: key) != nil
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
