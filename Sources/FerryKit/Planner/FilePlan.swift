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

    /// At or under the block size: one request (`writeWhole`), no block rows in the manifest.
    public var isSingleShot: Bool { sizeBytes <= Int64(blockSizeBytes) }

    public var blockCount: Int {
        isSingleShot ? 1 : Int(BlockSizing.blockCount(fileSizeBytes: sizeBytes, blockSizeBytes: blockSizeBytes))
    }

    public var writePlan: ObjectWritePlan { ObjectWritePlan(sizeBytes: sizeBytes, blockSizeBytes: blockSizeBytes) }

    /// The source identity behind the block IDs (`BlockID`): path, size, mtime and block size.
    public var sourceIdentity: UInt64 {
        BlockID.sourceIdentity(relativePath: sourcePath, sizeBytes: sizeBytes, lastModified: lastModified,
                               blockSizeBytes: blockSizeBytes)
    }

    /// Block `index` with its offset, length and deterministic ID.
    public func block(_ index: Int, identity: UInt64) -> BlockRef {
        let offset = Int64(index) * Int64(blockSizeBytes)
        let length = Int(min(Int64(blockSizeBytes), sizeBytes - offset))
        return BlockRef(index: index, offset: offset, length: length, id: BlockID.make(sourceIdentity: identity, index: index))
    }

    /// Every block in order (multi-block files).
    public func blocks() -> [BlockRef] {
        let identity = sourceIdentity
        return (0..<blockCount).map { block($0, identity: identity) }
    }

    /// Modification time in whole nanoseconds, as the manifest stores it (nil = unknown).
    public var lastModifiedNanos: Int64? { lastModified.map(Self.nanos) }

    static func nanos(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e9).rounded()) }
}
