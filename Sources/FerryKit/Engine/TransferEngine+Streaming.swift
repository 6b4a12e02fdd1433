import FerryChecksums
import Foundation

/// Worker threads: a block, or a whole file, streamed from a remote source straight into a
/// positional writer (`StreamedReads.swift`). The same promises as a buffered transfer: the CRC-64
/// covers exactly the bytes written, the manifest records a block only after all of them are in
/// the writer, and nothing is visible under the destination's name before the whole-file CRC
/// (and MD5) was checked.
extension TransferEngine {
    /// A file that fits one request: one GET into an unnamed file, checked, then named. Pieces
    /// arrive in order, so the MD5 (when the source stores one) is computed on the way too.
    func streamWhole(_ file: FileRecord) {
        let plan = file.plan
        var writer: (any ObjectWriter)?
        do {
            guard try shouldTransfer(file) else { return }
            let made = try atDestination {
                try destination.makeWriter(for: plan.destinationPath, plan: plan.writePlan)
            }
            writer = made
            guard let positional = made as? any PositionalObjectWriter else {
                throw FerryError(.internal, "'\(plan.sourcePath)' was planned to stream but cannot", disposition: .skipItem)
            }
            let hashesMD5 = needsMD5(plan)
            let (crc, storedCRC, md5) = try atSource { () throws -> (UInt64, UInt64?, Data?) in
                let digest = hashesMD5 ? StreamingDigest(.md5) : nil
                let (crc, storedCRC) = try stream(plan, range: 0..<plan.sizeBytes, into: positional) { digest?.update($0) }
                return (crc, storedCRC, digest?.finalize())
            }
            try verify(plan, crc64: crc, md5: md5, currentCRC64: storedCRC)
            let whole = BlockRef(index: 0, offset: 0, length: Int(plan.sizeBytes), layout: plan.layout).withContent(crc64: crc)
            try positional.commit([whole], receipts: [nil], properties: properties(plan, crc64: crc, md5: md5))
            store.finishFile(fileID: file.id, state: .done, crc64: crc, md5: md5, error: nil)
            progress.bytesMoved(plan.sizeBytes)
            progress.fileDone()
        } catch {
            try? writer?.abort()
            settleFailed(file, error)
        }
    }

    /// One attempt at `range` of the source into the writer at the same offsets: its CRC-64, and
    /// for the whole file, the CRC-64 the source's answer said it stores (`streamWhole`).
    /// `observe` sees each piece in order before it is written. A failed attempt leaves bytes only
    /// inside `range`, which the next attempt overwrites (or the abandoned partial file takes away).
    private func stream(_ plan: FilePlan, range: Range<Int64>, into writer: any PositionalObjectWriter,
                        observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws -> (crc64: UInt64, storedCRC64: UInt64?) {
        guard let streamingSource = source as? any StreamingEndpoint else {
            throw FerryError(.internal, "'\(plan.sourcePath)' was planned to stream but cannot", disposition: .skipItem)
        }
        var crc = CRC64()
        var offset = range.lowerBound
        func sink(_ piece: UnsafeRawBufferPointer) throws {
            guard offset + Int64(piece.count) <= range.upperBound else {
                throw FerryError(.protocolViolation, "'\(plan.sourcePath)' sent more than \(range.count) bytes from \(range.lowerBound)",
                                 disposition: .retry)
            }
            crc.update(piece)
            observe(piece)
            try writer.write(piece, at: offset, meter: destinationMeter)
            offset += Int64(piece.count)
        }
        var got = 0
        var storedCRC: UInt64?
        if range == 0..<plan.sizeBytes, !range.isEmpty {
            (got, storedCRC) = try streamingSource.streamWhole(plan.sourcePath, sizeBytes: plan.sizeBytes, meter: sourceMeter, into: sink)
        } else if !range.isEmpty {
            got = try streamingSource.stream(plan.sourcePath, range: range, meter: sourceMeter, into: sink)
        }
        guard got == range.count else { throw sourceChanged(plan, "\(range.count) bytes from \(range.lowerBound) came back short") }
        return (crc.value, storedCRC)
    }

    func streamBlock(_ transfer: FileTransfer, index: Int) {
        let block = transfer.blocks[index]
        let action: FileBlocksState.Action
        do {
            guard let writer = transfer.writer as? any PositionalObjectWriter else {
                throw FerryError(.internal, "'\(transfer.record.plan.sourcePath)' was planned to stream but cannot",
                                 disposition: .skipItem)
            }
            let range = block.offset..<(block.offset + Int64(block.length))
            let crc = try atSource {
                try stream(transfer.record.plan, range: range, into: writer).crc64
            }
            // Only now, with every byte in the writer (CONCURRENCY.md rule 2).
            store.markBlockDone(fileID: transfer.record.id, index: index, crc64: crc, receipt: nil)
            progress.bytesMoved(Int64(block.length))
            action = transfer.acknowledged(index, crc64: crc, receipt: nil)
        } catch {
            action = blockFailed(transfer, index, error)
        }
        finish(transfer, after: action)
    }
}
