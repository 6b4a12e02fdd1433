import Foundation

/// How one file is transferred: where from, where to, and how it is cut into blocks.
/// Derived again, identically, on resume from the same inputs. Value type; safe from any thread.
public struct FilePlan: Sendable, Hashable {
    public var sourcePath: String
    public var destinationPath: String
    public var sizeBytes: Int64
    public var lastModified: Date?
    public var blockSizeBytes: Int
    /// Checksums the source store keeps (downloads verify against them).
    public var sourceCRC64: UInt64?
    public var sourceMD5: Data?
    /// The dataset time the destination records (`SourceTime`): metadata `ferrymtime` on a store,
    /// the mtime of a downloaded file. Nil: `lastModified`.
    public var contentModified: Date?
    /// Sync: send only if the source's checksum differs from the destination's (`ChangeDetection`).
    public var confirmsBeforeSending = false
    /// Sync: the CRC-64 the destination listing showed for the object there, if any.
    public var destinationCRC64: UInt64?

    public init(sourcePath: String, destinationPath: String, sizeBytes: Int64, lastModified: Date?,
                blockSizeBytes: Int, sourceCRC64: UInt64? = nil, sourceMD5: Data? = nil) {
        self.sourcePath = sourcePath
        self.destinationPath = destinationPath
        self.sizeBytes = sizeBytes
        self.lastModified = lastModified
        self.blockSizeBytes = blockSizeBytes
        self.sourceCRC64 = sourceCRC64
        self.sourceMD5 = sourceMD5
    }

    /// The time written with the object: `contentModified`, else the listed modification time.
    public var recordedTime: Date? { contentModified ?? lastModified }

    /// At or under the block size: one request (`writeWhole`), no block rows in the manifest.
    public var isSingleShot: Bool { sizeBytes <= Int64(blockSizeBytes) }

    public var blockCount: Int {
        isSingleShot ? 1 : Int(BlockSizing.blockCount(fileSizeBytes: sizeBytes, blockSizeBytes: blockSizeBytes))
    }

    public var writePlan: ObjectWritePlan { ObjectWritePlan(sizeBytes: sizeBytes, blockSizeBytes: blockSizeBytes) }

    /// The layout behind the block IDs (`BlockID`): size and block size.
    public var layout: UInt64 { BlockID.layout(sizeBytes: sizeBytes, blockSizeBytes: blockSizeBytes) }

    /// Block `index` with its offset and length; it gets its ID once its bytes are read.
    public func block(_ index: Int, layout: UInt64) -> BlockRef {
        let offset = Int64(index) * Int64(blockSizeBytes)
        let length = Int(min(Int64(blockSizeBytes), sizeBytes - offset))
        return BlockRef(index: index, offset: offset, length: length, layout: layout)
    }

    /// Every block in order (multi-block files).
    public func blocks() -> [BlockRef] {
        let layout = self.layout
        return (0..<blockCount).map { block($0, layout: layout) }
    }

    /// Modification time in whole nanoseconds, as the manifest stores it (nil = unknown).
    public var lastModifiedNanos: Int64? { lastModified.map(Self.nanos) }

    static func nanos(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e9).rounded()) }
}
