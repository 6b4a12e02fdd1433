import FerryChecksums
import Foundation

/// Worker threads: multi-block files (prepare, one block, commit).
extension TransferEngine {
    /// Decides, opens the writer, reconciles with what was already acknowledged; nil when the file
    /// needs no more block work (skipped, failed, or committed right here).
    func prepareBlocks(_ file: FileRecord) -> FileTransfer? {
        let plan = file.plan
        do {
            guard try shouldTransfer(file) else { return nil }
            var done = resuming ? try store.doneBlocks(fileID: file.id) : [:]
            var writePlan = plan.writePlan
            writePlan.resumeToken = file.resumeToken
            writePlan.properties = properties(plan, crc64: nil, md5: nil)
            let writer = try atDestination {
                try destination.makeWriter(for: plan.destinationPath, plan: writePlan)
            }
            if writer.resumeToken != file.resumeToken {
                // A different upload/partial file: blocks acknowledged under the old one are gone.
                if !done.isEmpty { store.forgetBlocks(fileID: file.id) }
                done = [:]
                try store.setResumeToken(fileID: file.id, token: writer.resumeToken)
            }
            let blocks = plan.blocks()
            var candidates: [Int: [StagedBlockReconciliation.Candidate]] = [:]
            // Records to confirm, or blocks no record knows of (a killed run, a lost FERRY_HOME).
            if destination.capabilities.listsStagedBlocks && writer.mayHoldEarlierBlocks {
                let staged = try atDestination { try writer.stagedBlocks() }
                let reconciled = StagedBlockReconciliation(recorded: done, staged: staged, blocks: blocks)
                done = reconciled.confirmed
                candidates = reconciled.candidates
            }
            let streams = source is any StreamingEndpoint && writer is any PositionalObjectWriter
            let transfer = FileTransfer(record: file, writer: writer, blocks: blocks, done: done, hashMD5: needsMD5(plan),
                                        streamsBlocks: streams, heldByStore: candidates)
            progress.bytesResumed(done.keys.reduce(Int64(0)) { $0 + Int64(blocks[$1].length) })
            if transfer.start() == .commit {
                commit(transfer)
                return nil
            }
            return transfer
        } catch {
            settleFailed(file, error)
        }
        return nil
    }

    /// Reads block `index`, checksums it (and feeds the in-order MD5), stages it, records it.
    /// A block acknowledged in an earlier run is handed out again only for the MD5: it is read
    /// back from the destination when the writer can (a local partial file), else from the source.
    func transferBlock(_ transfer: FileTransfer, index: Int, buffer: UnsafeMutableRawBufferPointer) {
        let plan = transfer.record.plan
        let block = transfer.blocks[index]
        var action: FileBlocksState.Action
        do {
            let data = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<block.length])
            let bytes = UnsafeRawBufferPointer(data)
            if transfer.wasDoneBefore(index), let crc = try readBackAcknowledged(transfer, block, into: data) {
                if let digest = transfer.digest, !digest.feed(index, bytes) { throw RetryPolicy.cancelled }
                action = transfer.acknowledged(index, crc64: crc, receipt: nil)
            } else {
                let range = block.offset..<(block.offset + Int64(block.length))
                let got = try atSource {
                    try source.read(plan.sourcePath, range: range, into: data, meter: sourceMeter)
                }
                guard got == block.length else { throw sourceChanged(plan, "block \(index) came back short") }
                let crc = CRC64.checksum(bytes)
                if let digest = transfer.digest, !digest.feed(index, bytes) { throw RetryPolicy.cancelled }
                if transfer.wasDoneBefore(index) && !transfer.needsRestage(index) {
                    // Read again only for the MD5; it must be the block the destination already holds.
                    guard transfer.recordedCRC(index) == crc else {
                        throw sourceChanged(plan, "block \(index) differs from the copy already sent")
                    }
                    action = transfer.acknowledged(index, crc64: crc, receipt: nil)
                } else if let held = transfer.heldCopy(index, of: bytes, crc64: crc) {
                    // Staged by a run that left no record of it, and holding these very bytes.
                    store.markBlockDone(fileID: transfer.record.id, index: index, crc64: crc, receipt: held.receipt)
                    progress.bytesResumed(Int64(block.length))
                    action = transfer.acknowledged(index, crc64: crc, receipt: held.receipt)
                } else {
                    let receipt = try atDestination {
                        try transfer.writer.stage(block.withContent(crc64: crc), data: bytes, checksums: BlockChecksums(crc64: crc), meter: destinationMeter)
                    }
                    // Only now, after the destination acknowledged it (CONCURRENCY.md rule 2).
                    store.markBlockDone(fileID: transfer.record.id, index: index, crc64: crc, receipt: receipt)
                    if !transfer.wasDoneBefore(index) { progress.bytesMoved(Int64(block.length)) }
                    action = transfer.acknowledged(index, crc64: crc, receipt: receipt)
                }
            }
        } catch {
            action = blockFailed(transfer, index, error)
        }
        scheduler.release(buffer)
        finish(transfer, after: action)
    }

    /// A block that did not get through: cancellation, or an error that stops the job, hands it
    /// back (pending for a resume); any other error fails it, and with it the file.
    func blockFailed(_ transfer: FileTransfer, _ index: Int, _ error: any Error) -> FileBlocksState.Action {
        let failure = error as? FerryError ?? FerryError(.internal, "\(error)", disposition: .skipItem)
        if failure.code == .cancelled || failure.disposition == .abortJob {
            if failure.code != .cancelled { stopJob(failure) }
            return transfer.returned(index)
        }
        return transfer.failed(index, error: failure)
    }

    /// What follows a block: nothing, the file's commit, or its abandonment.
    func finish(_ transfer: FileTransfer, after action: FileBlocksState.Action) {
        switch action {
        case .none:
            break
        case .commit:
            commit(transfer)
            scheduler.retire(transfer)
        case .abort:
            let error = transfer.failure ?? FerryError(.internal, "'\(transfer.record.plan.sourcePath)' failed", disposition: .skipItem)
            abandon(transfer, error)
            scheduler.retire(transfer)
        }
    }

    /// The CRC-64 of an acknowledged block read back from the destination into `data`, or nil
    /// when the writer cannot read back. Bytes that no longer match the recorded CRC (a partial
    /// file damaged after a crash) mark the block for sending again from the source.
    private func readBackAcknowledged(_ transfer: FileTransfer, _ block: BlockRef,
                                      into data: UnsafeMutableRawBufferPointer) throws -> UInt64? {
        guard try transfer.writer.readBackStaged(block, into: data) else { return nil }
        let crc = CRC64.checksum(UnsafeRawBufferPointer(data))
        guard crc == transfer.recordedCRC(block.index) else {
            transfer.markForRestage(block.index)
            return nil
        }
        return crc
    }

    /// Every block acknowledged: verify the combined checksums, then make the object visible.
    func commit(_ transfer: FileTransfer) {
        let plan = transfer.record.plan
        do {
            let (crc, blocks, receipts) = transfer.completion()
            let md5 = transfer.digest?.finalize()
            // The source as it is now: unchanged since listed, and (S3 listings carry no checksum)
            // the whole-object CRC-64 it stores, if any, to check the combined one against.
            let current = try checkSourceUnchanged(plan)
            try verify(plan, crc64: crc, md5: md5, currentCRC64: current.crc64)
            try atDestination {
                try transfer.writer.commit(blocks, receipts: receipts, properties: properties(plan, crc64: crc, md5: md5))
            }
            store.finishFile(fileID: transfer.record.id, state: .done, crc64: crc, md5: md5, error: nil)
            progress.fileDone()
        } catch let error as FerryError where error.code == .destinationExists {
            try? transfer.writer.abort()
            progress.bytesMoved(-plan.sizeBytes)
            skip(transfer.record)
        } catch let error as FerryError {
            abandon(transfer, error)
        } catch {
            abandon(transfer, FerryError(.internal, "'\(plan.sourcePath)' failed: \(error)", disposition: .skipItem))
        }
    }

    /// The file failed. Bad bytes and changed sources drop what was staged (nothing wrong may be
    /// committed later); transient failures keep it, so `ferry jobs resume` sends only the rest.
    func abandon(_ transfer: FileTransfer, _ error: FerryError) {
        let discard: Set<FerryError.Code> = [.checksumMismatch, .sourceChanged, .destinationExists, .usage, .internal]
        if discard.contains(error.code) {
            try? transfer.writer.abort()
            store.forgetBlocks(fileID: transfer.record.id)
        }
        fail(transfer.record, error, movedBytes: transfer.acknowledgedBytes)
    }
}
