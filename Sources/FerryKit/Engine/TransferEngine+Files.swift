import FerryChecksums
import Foundation

/// Worker threads: the loop, whole-file transfers, and the per-file decisions shared with blocks.
extension TransferEngine {
    func work() {
        while let unit = scheduler.next() {
            switch unit {
            case .singleShot(let file, let buffer?):
                transferWhole(file, buffer: buffer)
                scheduler.release(buffer)
            case .singleShot(let file, nil):
                streamWhole(file)
            case .prepare(let file):
                scheduler.prepared(prepareBlocks(file))
            case .block(let transfer, let index, let buffer?):
                transferBlock(transfer, index: index, buffer: buffer)
            case .block(let transfer, let index, nil):
                streamBlock(transfer, index: index)
            }
        }
    }

    /// A file at or under its block size: read, checksum, verify, one write.
    func transferWhole(_ file: FileRecord, buffer: UnsafeMutableRawBufferPointer) {
        let plan = file.plan
        do {
            guard try shouldTransfer(file) else { return }
            let size = Int(plan.sizeBytes)
            let data = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
            let (got, storedCRC) = size == 0 ? (0, nil) : try atSource {
                try source.readWhole(plan.sourcePath, sizeBytes: plan.sizeBytes, into: data, meter: sourceMeter)
            }
            guard got == size else { throw sourceChanged(plan, "it is now shorter than \(size) bytes") }
            let bytes = UnsafeRawBufferPointer(data)
            let crc = CRC64.checksum(bytes)
            var md5: Data?
            if needsMD5(plan) {
                let digest = StreamingDigest(.md5)
                digest.update(bytes)
                md5 = digest.finalize()
            }
            try verify(plan, crc64: crc, md5: md5, currentCRC64: storedCRC)
            if !source.capabilities.isRemote { try checkSourceUnchanged(plan) }
            let writer = try atDestination {
                try destination.makeWriter(for: plan.destinationPath, plan: plan.writePlan)
            }
            try atDestination {
                try writer.writeWhole(bytes, checksums: BlockChecksums(crc64: crc, md5: md5),
                                      properties: properties(plan, crc64: crc, md5: md5), meter: destinationMeter)
            }
            store.finishFile(fileID: file.id, state: .done, crc64: crc, md5: md5, error: nil)
            progress.bytesMoved(plan.sizeBytes)
            progress.fileDone()
        } catch {
            settleFailed(file, error)
        }
    }

    /// A file that threw before any block work: skipped if the destination wins, else failed.
    func settleFailed(_ file: FileRecord, _ error: any Error) {
        switch error {
        case let error as FerryError where error.code == .destinationExists: skip(file)
        case let error as FerryError: fail(file, error, movedBytes: 0)
        default:
            fail(file, FerryError(.internal, "'\(file.plan.sourcePath)' failed: \(error)", disposition: .skipItem), movedBytes: 0)
        }
    }

    /// Overwrite decision and pre-flight checks; false (and the file recorded skipped) to skip.
    func shouldTransfer(_ file: FileRecord) throws -> Bool {
        let plan = file.plan
        if options.overwrite.needsDestinationState {
            let existing = try atDestination { try destination.stat(plan.destinationPath) }
            let sourceInfo = ObjectInfo(path: plan.sourcePath, sizeBytes: plan.sizeBytes, lastModified: plan.lastModified)
            if options.overwrite.decide(source: sourceInfo, existing: existing) != .transfer {
                skip(file)
                return false
            }
        }
        if try skipIfContentUnchanged(file) { return false }
        if source.capabilities.storesContentMD5 && options.checkMD5 == .failIfDifferentOrMissing && plan.sourceMD5 == nil {
            throw FerryError(.checksumMismatch, "'\(plan.sourcePath)' has no stored Content-MD5 "
                             + "(--check-md5 fail-if-different-or-missing)", disposition: .skipItem)
        }
        // A resumed file may have changed since it was listed; its plan (and block IDs) would be stale.
        if resuming { try checkSourceUnchanged(plan) }
        return true
    }

    /// Is the whole-file MD5 computed in this pass? (`--put-md5` to a store that keeps it, or a
    /// download whose source has one to check.)
    func needsMD5(_ plan: FilePlan) -> Bool {
        (options.putMD5 && destination.capabilities.storesContentMD5) || (checksStoredMD5 && plan.sourceMD5 != nil)
    }

    var checksStoredMD5: Bool { source.capabilities.storesContentMD5 && options.checkMD5 != .noCheck }

    /// End-to-end checks against what the source store recorded, before anything is made visible.
    /// `currentCRC64`: what the source stores now (a commit-time `stat`), for listings without one.
    func verify(_ plan: FilePlan, crc64: UInt64, md5: Data?, currentCRC64: UInt64? = nil) throws {
        if let expected = plan.sourceCRC64 ?? currentCRC64, expected != crc64 {
            throw FerryError(.checksumMismatch, "'\(plan.sourcePath)' arrived with CRC-64 \(String(crc64, radix: 16)) "
                             + "but the source recorded \(String(expected, radix: 16)); nothing was written",
                             disposition: .skipItem)
        }
        if checksStoredMD5, let expected = plan.sourceMD5, let md5, expected != md5 {
            let message = "'\(plan.sourcePath)' arrived with MD5 \(Digests.hex(md5)) but its Content-MD5 is \(Digests.hex(expected))"
            if options.checkMD5 == .logOnly {
                events?.warning(message)
            } else {
                throw FerryError(.checksumMismatch, message + "; nothing was written", disposition: .skipItem)
            }
        }
    }

    /// The source object as it is now; throws `sourceChanged` unless it has the listed size and time.
    @discardableResult
    func checkSourceUnchanged(_ plan: FilePlan) throws -> ObjectInfo {
        let now = try atSource { try source.stat(plan.sourcePath) }
        guard let now else { throw sourceChanged(plan, "it no longer exists") }
        guard now.sizeBytes == plan.sizeBytes, now.lastModified == plan.lastModified else {
            throw sourceChanged(plan, "its size or modification time differs from when it was listed")
        }
        return now
    }

    func sourceChanged(_ plan: FilePlan, _ why: String) -> FerryError {
        // A single-file copy plans its one file with an empty relative path: the line that
        // reports the failure names the source then.
        let name = plan.sourcePath.isEmpty ? "the source file" : "'\(plan.sourcePath)'"
        return FerryError(.sourceChanged, "\(name) changed during the copy: \(why); copy it again", disposition: .skipItem)
    }

    /// What a write records with the object: content type, checksums, and the dataset time
    /// (`SourceTime`: metadata `ferrymtime` on a store, the mtime of a local file).
    func properties(_ plan: FilePlan, crc64: UInt64?, md5: Data?) -> ObjectProperties {
        var metadata: [String: String] = [:]
        if let time = plan.recordedTime { metadata[SourceTime.metadataKey] = SourceTime.metadataValue(time) }
        var properties = ObjectProperties(contentType: ContentType.guess(path: plan.destinationPath.isEmpty ? plan.sourcePath : plan.destinationPath),
                                          contentMD5: (options.putMD5 ? md5 : nil) ?? plan.sourceMD5, crc64: crc64, metadata: metadata,
                                          mustNotExist: options.overwrite == .never, sourceLastModified: plan.recordedTime)
        properties.accessTier = options.blockBlobTier
        return properties
    }

    func skip(_ file: FileRecord) {
        store.finishFile(fileID: file.id, state: .skipped, crc64: nil, md5: nil, error: nil)
        progress.fileSkipped(sizeBytes: file.plan.sizeBytes)
    }

    /// A file failed. Cancellation leaves it pending (resume redoes it); an `.abortJob` error also
    /// stops the job; anything else fails just this file.
    func fail(_ file: FileRecord, _ error: FerryError, movedBytes: Int64) {
        if error.code == .cancelled { return }
        if error.disposition == .abortJob {
            stopJob(error)
            return
        }
        store.finishFile(fileID: file.id, state: .failed, crc64: nil, md5: nil, error: error)
        progress.fileFailed(sizeBytes: file.plan.sizeBytes, movedBytes: movedBytes)
        events?.fileFailed(file.plan, error: error)
    }
}
