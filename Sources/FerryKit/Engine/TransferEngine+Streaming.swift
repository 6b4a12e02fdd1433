import FerryChecksums
import Foundation

/// Worker threads: a block streamed from a remote source straight into a positional writer
/// (`StreamedReads.swift`). The same promises as a buffered block: the CRC-64 covers exactly the
/// bytes written, the manifest records the block only after all of them are in the writer, and
/// nothing is visible under the destination's name before `commit` checked the whole-file CRC.
extension TransferEngine {
    func streamBlock(_ transfer: FileTransfer, index: Int) {
        let plan = transfer.record.plan
        let block = transfer.blocks[index]
        let action: FileBlocksState.Action
        do {
            guard let streamingSource = source as? any StreamingEndpoint,
                  let writer = transfer.writer as? any PositionalObjectWriter else {
                throw FerryError(.internal, "'\(plan.sourcePath)' was planned to stream but cannot", disposition: .skipItem)
            }
            let range = block.offset..<(block.offset + Int64(block.length))
            let crc = try retry.run(cancellation: cancellation) { () throws -> UInt64 in
                // Each attempt starts over: a failed one leaves bytes only inside this block's range,
                // which the next attempt overwrites (or the abandoned partial file takes away).
                var crc = CRC64()
                var offset = block.offset
                let got = try streamingSource.stream(plan.sourcePath, range: range, meter: sourceMeter) { piece in
                    guard offset + Int64(piece.count) <= range.upperBound else {
                        throw FerryError(.protocolViolation, "'\(plan.sourcePath)' sent more than block \(index) holds",
                                         disposition: .retry)
                    }
                    crc.update(piece)
                    try writer.write(piece, at: offset, meter: destinationMeter)
                    offset += Int64(piece.count)
                }
                guard got == block.length else { throw sourceChanged(plan, "block \(index) came back short") }
                return crc.value
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
