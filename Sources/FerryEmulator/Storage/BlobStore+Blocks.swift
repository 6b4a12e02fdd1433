import Foundation

extension BlobStore {
    /// Stages an uploaded file (already in `tmp/`) as block `id` of the blob; restaging replaces.
    func stageBlock(_ container: String, _ blob: String, id: String, decodedLength: Int,
                    uploadedFile: String, size: Int64) throws {
        try state.withLock { state in
            let (containerKey, blobKey, idKey) = (NameKey(container), NameKey(blob), NameKey(id))
            guard state.containers[containerKey] != nil else { throw ServiceError.containerNotFound() }
            let existing = state.containers[containerKey]!.staged[blobKey] ?? [:]
            if let other = existing.values.first, other.decodedLength != decodedLength {
                throw ServiceError(status: 400, code: "InvalidBlobOrBlock",
                                   message: "The specified blob or block content is invalid.")
            }
            if existing[idKey] == nil && existing.count >= 100_000 {
                throw ServiceError(status: 409, code: "BlockCountExceedsLimit",
                                   message: "The uncommitted block count cannot exceed the maximum limit of 100,000 blocks.")
            }
            let directory = layout.stagedDirectory(container, blob)
            if existing.isEmpty {
                try DiskFiles.makeDirectory(directory)
                try DiskFiles.writeAtomically(Data(blob.utf8), to: directory + "/" + StoreLoader.nameFile,
                                              temporaryDirectory: layout.temporaryDirectory)
            }
            try DiskFiles.move(uploadedFile, to: layout.stagedBlockPath(container, blob, blockID: id))
            state.stagingSequence = max(state.stagingSequence + 1, StoreLoader.nowNanoseconds())
            state.containers[containerKey]!.staged[blobKey, default: [:]][idKey] =
                StagedBlock(id: id, decodedLength: decodedLength, size: size, sequence: state.stagingSequence)
        }
    }

    /// The committed and staged blocks of a blob; throws BlobNotFound when it has neither.
    func blockLists(_ container: String, _ blob: String) throws
        -> (record: BlobRecord?, committed: [ListedBlock], uncommitted: [ListedBlock]) {
        try withContainer(container) { containerState in
            let key = NameKey(blob)
            let record = containerState.blobs[key]
            let staged = containerState.staged[key]
            guard record != nil || staged != nil else { throw ServiceError.blobNotFound() }
            let committed = (record?.blocks ?? []).compactMap { block in block.id.map { ListedBlock(id: $0, size: block.size) } }
            let uncommitted = (staged ?? [:]).values.sorted { $0.sequence < $1.sequence }.map { ListedBlock(id: $0.id, size: $0.size) }
            return (record, committed, uncommitted)
        }
    }

    /// Validates a block ID (A5): base64, decoded 1…64 bytes; returns the decoded length.
    static func decodedBlockIDLength(_ id: String) throws(ServiceError) -> Int {
        guard !id.isEmpty, let bytes = Data(base64Encoded: id) else {
            throw ServiceError(status: 400, code: "InvalidBlockId", message: "The specified block ID is invalid. The block ID must be Base64-encoded.")
        }
        guard bytes.count <= 64 else {
            throw ServiceError(status: 400, code: "OutOfRangeInput",
                               message: "One of the request inputs is out of range: the block ID is longer than 64 bytes.")
        }
        return bytes.count
    }
}
