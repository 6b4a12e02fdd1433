/// What the destination already holds of a multi-block file, weighed against the manifest.
///
/// Two questions, one Get Block List / ListParts answer: which blocks the manifest records are
/// still there (a store drops uncommitted blocks after a week, or when another writer commits),
/// and which blocks the store holds that the manifest does not know of — staged by a run that
/// was killed before recording them, or whose manifest is gone with its machine. Those are only
/// candidates: the engine reuses one after the CRC-64 of the source's bytes at that index equals
/// the CRC-64 its Ferry block ID names (`BlockID`). Pure value logic; tested alone.
struct StagedBlockReconciliation: Sendable, Hashable {
    /// Recorded blocks the store still holds (same position or ID, same size).
    var confirmed: [Int: DoneBlock]
    /// Unrecorded blocks the store holds under a Ferry ID of this file's layout: the CRC-64s the
    /// IDs name, per block index (one index can have been staged from several versions).
    var candidates: [Int: Set<UInt64>]

    init(recorded: [Int: DoneBlock], staged: [StagedBlock], blocks: [BlockRef]) {
        var byID: [String: StagedBlock] = [:]
        var byIndex: [Int: StagedBlock] = [:]
        for block in staged {
            if byID[block.id] == nil { byID[block.id] = block }
            if let index = block.index, byIndex[index] == nil { byIndex[index] = block }
        }
        confirmed = recorded.filter { index, done in
            guard index >= 0 && index < blocks.count else { return false }
            let block = blocks[index]
            let held = byIndex[index] ?? byID[block.withContent(crc64: done.crc64).id]
            return held?.sizeBytes == Int64(block.length)
        }
        candidates = [:]
        guard let layout = blocks.first?.layout else { return }
        for block in staged {
            guard let named = BlockID.parse(block.id), named.layout == layout,
                  named.index >= 0, named.index < blocks.count, confirmed[named.index] == nil,
                  block.sizeBytes == Int64(blocks[named.index].length) else { continue }
            candidates[named.index, default: []].insert(named.contentCRC64)
        }
    }
}
