import FerryChecksums
import Foundation

/// One multi-block file in flight: its plan, writer, blocks and lifecycle state.
/// Thread-safe: `state` and `receipts` are guarded by `lock` (hence `@unchecked Sendable`);
/// plan, blocks and writer are immutable after creation.
final class FileTransfer: @unchecked Sendable {
    let record: FileRecord
    let writer: any ObjectWriter
    let blocks: [BlockRef]
    /// Set when the whole-file MD5 is computed in this pass.
    let digest: OrderedDigest?
    /// Blocks go straight from the source into the writer (`StreamedReads.swift`), without a buffer.
    let streamsBlocks: Bool
    private let lock = NSLock()
    private var state: FileBlocksState
    private var receipts: [String?]
    private var firstError: FerryError?
    /// Acknowledged blocks whose read-back bytes did not match their recorded CRC: sent again.
    private var restage: Set<Int> = []
    /// Blocks the store holds without a record of ours, by index (`StagedBlockReconciliation`).
    private let heldByStore: [Int: [StagedBlockReconciliation.Candidate]]

    init(record: FileRecord, writer: any ObjectWriter, blocks: [BlockRef], done: [Int: DoneBlock], hashMD5: Bool,
         streamsBlocks: Bool = false, heldByStore: [Int: [StagedBlockReconciliation.Candidate]] = [:]) {
        self.heldByStore = heldByStore
        self.record = record
        self.writer = writer
        self.blocks = blocks
        digest = hashMD5 ? OrderedDigest() : nil
        self.streamsBlocks = streamsBlocks && !hashMD5
        state = FileBlocksState(blockCount: blocks.count, done: done.mapValues(\.crc64), rereadDone: hashMD5)
        receipts = (0..<blocks.count).map { done[$0]?.receipt }
    }

    func start() -> FileBlocksState.Action { withState { $0.start() } }
    var hasWorkToHandOut: Bool { withState { $0.hasWorkToHandOut } }
    func handOut() -> Int? { withState { $0.handOut() } }
    func wasDoneBefore(_ index: Int) -> Bool { withState { $0.previouslyDone.contains(index) } }
    func recordedCRC(_ index: Int) -> UInt64? { withState { $0.crcs[index] } }

    /// The store's unrecorded copy of block `index`, if it holds exactly `bytes` (CRC-64 `crc64`).
    /// The MD5 is computed at most once, however many copies (S3 lists a part sent twice twice).
    func heldCopy(_ index: Int, of bytes: UnsafeRawBufferPointer, crc64: UInt64) -> StagedBlockReconciliation.Candidate? {
        guard let candidates = heldByStore[index] else { return nil }
        var md5: Data?
        let md5Once = { () -> Data in
            let digest = md5 ?? Digests.md5(bytes)
            md5 = digest
            return digest
        }
        return candidates.first { $0.holds(crc64: crc64, md5: md5Once) }
    }

    func markForRestage(_ index: Int) {
        lock.lock()
        restage.insert(index)
        lock.unlock()
    }

    func needsRestage(_ index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return restage.contains(index)
    }

    func acknowledged(_ index: Int, crc64: UInt64, receipt: String?) -> FileBlocksState.Action {
        lock.lock()
        defer { lock.unlock() }
        if !state.previouslyDone.contains(index) || restage.contains(index) { receipts[index] = receipt }
        return state.acknowledged(index, crc64: crc64)
    }

    func failed(_ index: Int, error: FerryError) -> FileBlocksState.Action {
        digest?.abandon()
        return withState { state in
            if firstError == nil { firstError = error }
            return state.failed(index, code: error.code)
        }
    }

    /// The error that failed the file (the first block failure).
    var failure: FerryError? {
        lock.lock()
        defer { lock.unlock() }
        return firstError
    }

    func returned(_ index: Int) -> FileBlocksState.Action { withState { $0.returned(index) } }

    /// Bytes of blocks acknowledged so far (progress gives them back if the file fails).
    var acknowledgedBytes: Int64 {
        lock.lock()
        defer { lock.unlock() }
        var total: Int64 = 0
        for (index, crc) in state.crcs.enumerated() where crc != nil { total += Int64(blocks[index].length) }
        return total
    }

    /// The whole-file CRC-64 combined from the block CRCs (no second read), the blocks named
    /// after their bytes, and the receipts: what `commit` needs.
    func completion() -> (crc64: UInt64, blocks: [BlockRef], receipts: [String?]) {
        lock.lock()
        defer { lock.unlock() }
        var crc: UInt64 = 0
        var named: [BlockRef] = []
        named.reserveCapacity(blocks.count)
        for (index, block) in blocks.enumerated() {
            let blockCRC = state.crcs[index] ?? 0
            crc = index == 0 ? blockCRC : CRC64Combine.combine(crc, blockCRC, lengthOfB: Int64(block.length))
            named.append(block.withContent(crc64: blockCRC))
        }
        return (crc, named, receipts)
    }

    private func withState<T>(_ body: (inout FileBlocksState) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }
}
