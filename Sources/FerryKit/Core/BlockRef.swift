import FerryChecksums
import Foundation

/// One block of one object: its place, and the ID it is staged under once its bytes are known.
public struct BlockRef: Sendable, Hashable {
    /// 0-based; S3 part number is `index + 1`.
    public var index: Int
    public var offset: Int64
    public var length: Int
    /// The layout the block belongs to (`BlockID.layout`).
    public var layout: UInt64
    /// Base64 block ID (see `BlockID`); empty until `withContent(crc64:)` names the bytes.
    /// Same length for every block of every file of a job.
    public var id: String

    public init(index: Int, offset: Int64, length: Int, layout: UInt64, id: String = "") {
        self.index = index
        self.offset = offset
        self.length = length
        self.layout = layout
        self.id = id
    }

    /// This block named after its bytes (their CRC-64), ready to stage or commit.
    public func withContent(crc64: UInt64) -> BlockRef {
        var named = self
        named.id = BlockID.make(layout: layout, index: index, contentCRC64: crc64)
        return named
    }
}

/// Fixed-length block IDs that say which bytes a block holds.
///
/// An ID is base64 of exactly 48 ASCII bytes: `fy2-` + 16 hex digits of the layout + `-` + the
/// 10-digit block index + `-` + 16 hex digits of the CRC-64 of the block's bytes. The layout is a
/// CRC-64 of the object's size and block size, so every block of one cut of a file has the same
/// layout whatever machine cut it. That lets a run that lost its manifest — a fresh CI runner,
/// the source checked out again with new modification times — read Get Block List, find blocks
/// of its layout at its indexes, and reuse one only after the CRC-64 of its own bytes equals the
/// one in the ID: the ID alone never vouches for content. 48 bytes encode to 64 base64 characters
/// (Azure's limit) with no `=` padding, and every ID has the same length, as Azure requires.
public enum BlockID {
    static let prefix = "fy2"

    public static func layout(sizeBytes: Int64, blockSizeBytes: Int) -> UInt64 {
        CRC64.checksum(Data("\(sizeBytes)\u{0}\(blockSizeBytes)".utf8))
    }

    public static func make(layout: UInt64, index: Int, contentCRC64: UInt64) -> String {
        precondition(index >= 0 && index < 10_000_000_000, "block index out of range")
        return Data("\(prefix)-\(hex16(layout))-\(padded(index, to: 10))-\(hex16(contentCRC64))".utf8).base64EncodedString()
    }

    /// What a Ferry block ID says, or nil for any other ID (another tool's, an older format).
    public static func parse(_ id: String) -> (layout: UInt64, index: Int, contentCRC64: UInt64)? {
        guard id.utf8.count == 64, let data = Data(base64Encoded: id), data.count == 48,
              let text = String(data: data, encoding: .ascii) else { return nil }
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == prefix, fields[1].count == 16, fields[2].count == 10, fields[3].count == 16,
              let layout = UInt64(fields[1], radix: 16), let index = Int(fields[2]),
              let crc = UInt64(fields[3], radix: 16) else { return nil }
        return (layout, index, crc)
    }

    private static func hex16(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func padded(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: width - digits.count) + digits
    }
}
