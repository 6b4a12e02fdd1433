import FerryChecksums
import Foundation

/// What the destination already holds of a multi-block file, weighed against the manifest.
///
/// Two questions, one Get Block List / ListParts answer: which blocks the manifest records are
/// still there (a store drops uncommitted blocks after a week, or when another writer commits),
/// and which blocks the store holds that the manifest does not know of — staged by a run that
/// was killed before recording them, or whose manifest is gone with its machine. Those are only
/// candidates, each with what the store says of its bytes: the CRC-64 its Ferry block ID names
/// (Azure, `BlockID`) or the MD5 its ETag is (S3). The engine reuses a candidate only after the
/// source's bytes at that index hash to the same value. Pure value logic; tested alone.
struct StagedBlockReconciliation: Sendable, Hashable {
    /// A block the store holds that no record knows of.
    struct Candidate: Sendable, Hashable {
        enum Content: Sendable, Hashable {
            case crc64(UInt64)
            case md5(Data)
        }
        var content: Content
        /// What `commit` needs back for it (an S3 part's ETag).
        var receipt: String?

        /// Are bytes with this CRC-64 and this MD5 (asked for only when needed) the bytes held?
        func holds(crc64: UInt64, md5: () -> Data) -> Bool {
            switch content {
            case .crc64(let named): return named == crc64
            case .md5(let digest): return md5() == digest
            }
        }
    }

    /// Recorded blocks the store still holds (same position or ID, same size).
    var confirmed: [Int: DoneBlock]
    /// Unrecorded blocks of this file's layout the store holds, per block index (one index can
    /// have been staged from several versions of the file).
    var candidates: [Int: [Candidate]]

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
        for block in staged {
            guard let (index, candidate) = Self.candidate(block, blocks: blocks),
                  confirmed[index] == nil, block.sizeBytes == Int64(blocks[index].length) else { continue }
            if candidates[index]?.contains(candidate) != true { candidates[index, default: []].append(candidate) }
        }
    }

    /// The block index a staged block claims, and what it says of its bytes; nil if it says nothing.
    private static func candidate(_ block: StagedBlock, blocks: [BlockRef]) -> (Int, Candidate)? {
        if let index = block.index {
            guard index >= 0, index < blocks.count, let md5 = block.contentMD5 else { return nil }
            return (index, Candidate(content: .md5(md5), receipt: block.receipt))
        }
        guard let named = BlockID.parse(block.id), named.layout == blocks.first?.layout,
              named.index >= 0, named.index < blocks.count else { return nil }
        return (named.index, Candidate(content: .crc64(named.contentCRC64), receipt: block.receipt))
    }
}
