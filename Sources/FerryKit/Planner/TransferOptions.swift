import Foundation

/// Everything the user chose for a transfer job, recorded (as JSON) in the manifest so a resumed
/// job runs with the same choices. Holds no credentials. Value type; safe from any thread.
public struct TransferOptions: Sendable, Hashable, Codable {
    public enum MD5Check: String, Sendable, Hashable, Codable, CaseIterable {
        case noCheck = "no-check"
        case logOnly = "log-only"
        case failIfDifferent = "fail-if-different"
        case failIfDifferentOrMissing = "fail-if-different-or-missing"
    }

    public var recursive = false
    /// nil = automatic (`BlockSizing`).
    public var blockSizeBytes: Int?
    /// Worker threads; nil = scaled to the machine and the destination.
    public var concurrency: Int?
    /// Megabits (10^6 bits) per second across the whole job; nil or 0 = unlimited.
    public var capMbps: Double?
    public var overwrite: OverwritePolicy = .always
    public var putMD5 = false
    public var checkMD5: MD5Check = .failIfDifferent
    public var includePattern: String?
    public var excludePattern: String?
    /// `--include-path` / `--exclude-path`: `;`-separated relative path prefixes.
    public var includePath: String?
    public var excludePath: String?
    /// `--list-of-files`, read once when the job starts (a resume cannot read stdin again).
    public var listedPaths: [String]?
    /// `--include-after` / `--include-before` (source modification time, inclusive).
    public var includeAfter: Date?
    public var includeBefore: Date?
    /// Set for `ferry sync` (nil for `ferry copy`): how the destination is compared and pruned.
    public var sync: SyncOptions?
    /// `--fsync`: local files written are flushed to disk before they get their names. Optional
    /// so manifests written before it existed still decode; nil means off.
    public var flushesToDisk: Bool?
    /// `--block-blob-tier`: the access tier of every blob written (Azure destinations only).
    /// Optional so manifests written before it existed still decode; nil: the account default.
    public var blockBlobTier: BlockBlobTier?
    /// `--fixed-concurrency`: keep `concurrency` requests in flight even when a service refuses
    /// for load (no `RequestGovernor`). Optional so older manifests decode; nil means adapt.
    public var fixedConcurrency: Bool?
    /// `--shard I/N`: plan only this part of a split job (nil: the whole source).
    public var shard: ShardSpec?
    /// Bytes of block buffers in memory at once.
    public var memoryBudgetBytes: Int = 1 << 30

    public init() {}

    public var filter: PathFilter {
        PathFilter(includePattern: includePattern, excludePattern: excludePattern, includePath: includePath,
                   excludePath: excludePath, listedPaths: listedPaths, modifiedAfter: includeAfter, modifiedBefore: includeBefore)
    }

    /// Default worker count: many for network destinations (latency-bound), fewer for local disks.
    public static func defaultConcurrency(processorCount: Int, remote: Bool) -> Int {
        if remote { return processorCount <= 4 ? 32 : min(300, 16 * processorCount) }
        return max(4, min(32, 4 * processorCount))
    }
}
