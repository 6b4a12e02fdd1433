import FerryChecksums
import Foundation

/// One block of one object: its place and its deterministic ID.
public struct BlockRef: Sendable, Hashable {
    /// 0-based; S3 part number is `index + 1`.
    public var index: Int
    public var offset: Int64
    public var length: Int
    /// Base64 block ID (see `BlockID`). Same length for every block of every file of a job.
    public var id: String

    public init(index: Int, offset: Int64, length: Int, id: String) {
        self.index = index
        self.offset = offset
        self.length = length
        self.id = id
    }
}

/// Deterministic, fixed-length block IDs.
///
/// An ID is base64 of exactly 30 ASCII bytes: `fy1-` + 16 hex digits of the source identity +
/// `-` + the 9-digit block index. The source identity is a CRC-64 of the source's relative path,
/// size, modification time and the block size, so a later run — even on another machine that
/// lost the manifest — derives the same IDs for the same file and can recognise blocks that are
/// already staged, while a changed file or block size yields new IDs. 30 bytes encode to 40
/// base64 characters with no `=` padding, and every ID has the same length, as Azure requires.
public enum BlockID {
    public static func sourceIdentity(relativePath: String, sizeBytes: Int64, lastModified: Date?,
                                      blockSizeBytes: Int) -> UInt64 {
        let mtimeNanos = lastModified.map { Int64(($0.timeIntervalSince1970 * 1e9).rounded()) } ?? -1
        let text = "\(relativePath)\u{0}\(sizeBytes)\u{0}\(mtimeNanos)\u{0}\(blockSizeBytes)"
        return CRC64.checksum(Data(text.utf8))
    }

    public static func make(sourceIdentity: UInt64, index: Int) -> String {
        precondition(index >= 0 && index < 1_000_000_000, "block index out of range")
        let hex = String(sourceIdentity, radix: 16)
        let paddedHex = String(repeating: "0", count: 16 - hex.count) + hex
        let digits = String(index)
        let paddedIndex = String(repeating: "0", count: 9 - digits.count) + digits
        return Data("fy1-\(paddedHex)-\(paddedIndex)".utf8).base64EncodedString()
    }
}
