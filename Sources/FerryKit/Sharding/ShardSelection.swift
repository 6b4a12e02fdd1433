#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// This worker's part of a sharded job: the whole source listing (path and size of every file the
/// filters take) is staged in a SQLite file, then replayed largest first through
/// `ShardAssignment`; the paths that fall to this shard are kept. The listing never sits in
/// memory (a 100-million-file crawl is staged on disk; SQLite sorts it in temporary files).
///
/// Paths are TEXT under SQLite's BINARY collation, ordered and compared as their UTF-8 bytes —
/// the tie-break every worker must agree on, whatever the store's listing order (SeaweedFS lists
/// in its own) and whatever Unicode normalization would say.
///
/// A job keeps the file (`<job>.shard.db`) so a resume does not list twice; `ls`, `receipt`
/// and `verify` use a scratch file deleted by `close()`. Not thread-safe: one owner thread.
public final class ShardSelection {
    public let spec: ShardSpec
    private let database: SQLiteDatabase
    private let path: String
    private let isScratch: Bool
    private var pendingRows = 0
    private var closed = false

    /// What the split gave: this shard's and every shard's share.
    public struct Shares: Sendable, Equatable {
        public var files: Int
        public var bytes: Int64
        public var totalFiles: Int
        public var totalBytes: Int64
        public var largestShardBytes: Int64
        public var smallestShardBytes: Int64
    }

    /// Opens (or creates) the selection at `path`; nil path: a scratch file in the temporary directory.
    public init(spec: ShardSpec, path: String? = nil) throws {
        self.spec = spec
        isScratch = path == nil
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        self.path = path ?? directory + "/ferry-shard-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).db"
        if access(self.path, F_OK) != 0 {
            let descriptor = open(self.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if descriptor >= 0 { Glibc.close(descriptor) }
        }
        database = try SQLiteDatabase(path: self.path)
        try database.execute("""
            PRAGMA journal_mode = \(isScratch ? "OFF" : "WAL"); PRAGMA synchronous = \(isScratch ? "OFF" : "NORMAL");
            PRAGMA temp_store = FILE;
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS listed (path TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS mine (path TEXT PRIMARY KEY) WITHOUT ROWID;
            """)
    }

    deinit { close() }

    /// Closes; a scratch selection's file is deleted.
    public func close() {
        guard !closed else { return }
        closed = true
        database.closeConnection()
        if isScratch { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) } }
    }

    /// The job database's companion file (`<id>.shard.db`).
    public static func path(jobDatabase: String) -> String {
        (jobDatabase.hasSuffix(".db") ? String(jobDatabase.dropLast(3)) : jobDatabase) + ".shard.db"
    }

    // MARK: - Building

    /// The shares of an earlier complete split (a resumed job), else nil.
    public func completedShares() throws -> Shares? {
        let statement = try database.cached("SELECT value FROM state WHERE key = 'shares'")
        try statement.bind([])
        guard try statement.step() else { return nil }
        let numbers = statement.text(0).split(separator: " ").compactMap { Int64($0) }
        guard numbers.count == 6 else { return nil }
        return Shares(files: Int(numbers[0]), bytes: numbers[1], totalFiles: Int(numbers[2]), totalBytes: numbers[3],
                      largestShardBytes: numbers[4], smallestShardBytes: numbers[5])
    }

    /// Forgets a partial staging (a run killed while listing).
    public func reset() throws {
        try database.execute("DELETE FROM listed; DELETE FROM mine; DELETE FROM state;")
        pendingRows = 0
    }

    /// Adds one file of the source listing (a path listed twice counts once).
    public func stage(path: String, sizeBytes: Int64) throws {
        if pendingRows == 0 { try database.execute("BEGIN") }
        try database.run("INSERT OR REPLACE INTO listed (path, size) VALUES (?, ?)", [.text(path), .integer(sizeBytes)])
        pendingRows += 1
        if pendingRows >= 10_000 { try commitStaged() }
    }

    private func commitStaged() throws {
        if pendingRows > 0 { try database.execute("COMMIT") }
        pendingRows = 0
    }

    /// Splits the staged listing and keeps this shard's paths. Call once, after the last `stage`.
    @discardableResult
    public func split() throws -> Shares {
        try commitStaged()
        try database.execute("BEGIN; DELETE FROM mine;")
        var assignment = ShardAssignment(shardCount: spec.count)
        var shares = Shares(files: 0, bytes: 0, totalFiles: 0, totalBytes: 0, largestShardBytes: 0, smallestShardBytes: 0)
        let ordered = try database.prepare("SELECT path, size FROM listed ORDER BY size DESC, path ASC")
        let keep = try database.prepare("INSERT INTO mine (path) VALUES (?)")
        while try ordered.step() {
            let size = ordered.int64(1)
            shares.totalFiles += 1
            shares.totalBytes += size
            guard assignment.place(sizeBytes: size) == spec.index else { continue }
            shares.files += 1
            shares.bytes += size
            try keep.bind([.text(ordered.text(0))])
            _ = try keep.step()
        }
        shares.largestShardBytes = assignment.loads.max() ?? 0
        shares.smallestShardBytes = assignment.loads.min() ?? 0
        let numbers = [Int64(shares.files), shares.bytes, Int64(shares.totalFiles), shares.totalBytes,
                       shares.largestShardBytes, shares.smallestShardBytes]
        try database.run("INSERT OR REPLACE INTO state (key, value) VALUES ('shares', ?)",
                         [.text(numbers.map(String.init).joined(separator: " "))])
        try database.execute("COMMIT")
        return shares
    }

    /// Stages every file `listing` yields and splits: the whole build for commands without a job.
    @discardableResult
    public func build(from listing: inout any ObjectListing, taking accepts: (ObjectInfo) -> Bool) throws -> Shares {
        try reset()
        while let info = try listing.next() {
            if accepts(info) { try stage(path: info.path, sizeBytes: info.sizeBytes) }
        }
        return try split()
    }

    // MARK: - Asking

    /// Is this path this shard's? A path the source listed belongs to the shard the split gave it;
    /// any other path (a destination object the source lacks) to the shard its hash names.
    public func owns(_ path: String) throws -> Bool {
        let mine = try database.cached("SELECT 1 FROM mine WHERE path = ?")
        try mine.bind([.text(path)])
        if try mine.step() { return true }
        let listed = try database.cached("SELECT 1 FROM listed WHERE path = ?")
        try listed.bind([.text(path)])
        if try listed.step() { return false }
        return spec.ownsUnlisted(path: path)
    }
}
