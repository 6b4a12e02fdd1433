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
    /// `--fsync`: local files written are flushed to disk before they get their names. Optional
    /// so manifests written before it existed still decode; nil means off.
    public var flushesToDisk: Bool?
    /// Bytes of block buffers in memory at once.
    public var memoryBudgetBytes: Int = 1 << 30

    public init() {}

    public var filter: NameFilter { NameFilter(include: includePattern, exclude: excludePattern) }

    /// Default worker count: many for network destinations (latency-bound), fewer for local disks.
    public static func defaultConcurrency(processorCount: Int, remote: Bool) -> Int {
        if remote { return processorCount <= 4 ? 32 : min(300, 16 * processorCount) }
        return max(4, min(32, 4 * processorCount))
    }
}
