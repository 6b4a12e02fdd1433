#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The destination's listing, staged once per sync in a database of its own
/// (`$FERRY_HOME/jobs/<id>.dest.db`), so a source entry is looked up without a request and without
/// holding the listing in memory. Paths are SQLite TEXT under the BINARY collation: stored,
/// compared and ordered as their UTF-8 bytes (the NFC and NFD spellings of `é` are two rows).
///
/// Concurrency: one connection, used by one thread at a time (the sync's enumerator). Not
/// Sendable; the engine creates it on the thread that uses it.
final class DestinationIndex {
    let path: String
    private let database: SQLiteDatabase
    private var pendingInTransaction = 0

    static let schema = """
    CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS entries (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        last_modified REAL,     -- seconds since 2001-01-01 (Foundation's Date)
        recorded_time REAL,     -- the source time recorded with the object
        crc64 INTEGER,
        md5 BLOB,
        etag TEXT,
        deleted INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    -- A dry run has no job database: the source paths it saw go here instead.
    CREATE TABLE IF NOT EXISTS listed (path TEXT PRIMARY KEY) WITHOUT ROWID;
    """

    init(path: String) throws {
        self.path = path
        if access(path, F_OK) != 0 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
        }
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try database.execute(Self.schema)
    }

    /// Did an earlier run stage the whole listing? (A resumed sync keeps it.)
    var isComplete: Bool {
        get throws {
            let statement = try database.cached("SELECT value FROM state WHERE key = 'complete'")
            try statement.bind([])
            return try statement.step()
        }
    }

    /// Forgets a partial staging (a run killed while listing the destination).
    func reset() throws {
        try database.execute("DELETE FROM entries; DELETE FROM state;")
    }

    /// Stages `destination`'s whole listing (a missing container, bucket or directory is an empty
    /// destination: the writes create it) and marks the index complete.
    func stageListing(of destination: any Endpoint, retry: RetryPolicy, cancellation: CancellationFlag) throws {
        try reset()
        let isLocal = !destination.capabilities.isRemote
        do {
            var listing = try retry.run(cancellation: cancellation) { try destination.listTree() }
            while let info = try retry.run(cancellation: cancellation, { try listing.next() }) {
                if cancellation.isCancelled {
                    throw FerryError(.cancelled, "cancelled while listing the destination", disposition: .abortJob)
                }
                try stage(DestinationEntry(info, isLocal: isLocal))
            }
        } catch let error as FerryError where error.code == .notFound {}
        try finishStaging()
    }

    /// Adds listing entries; call `finishStaging` after the last one. Batched in transactions.
    func stage(_ entry: DestinationEntry) throws {
        if pendingInTransaction == 0 { try database.execute("BEGIN") }
        try database.run("INSERT OR REPLACE INTO entries (path, size, last_modified, recorded_time, crc64, md5, etag) "
                         + "VALUES (?,?,?,?,?,?,?)",
                         [.text(entry.path), .integer(entry.sizeBytes), Self.time(entry.lastModified),
                          Self.time(entry.recordedSourceTime), .crc(entry.crc64), .optional(entry.contentMD5),
                          .optional(entry.etag)])
        pendingInTransaction += 1
        if pendingInTransaction >= 10_000 { try commit() }
    }

    /// A dry run's record of a source path it listed (batched like `stage`).
    func markListed(_ path: String) throws {
        if pendingInTransaction == 0 { try database.execute("BEGIN") }
        try database.run("INSERT OR IGNORE INTO listed (path) VALUES (?)", [.text(path)])
        pendingInTransaction += 1
        if pendingInTransaction >= 10_000 { try commit() }
    }

    func finishListing() throws { try commit() }

    func finishStaging() throws {
        if pendingInTransaction == 0 { try database.execute("BEGIN") }
        try database.run("INSERT OR REPLACE INTO state (key, value) VALUES ('complete', '1')", [])
        pendingInTransaction = 1
        try commit()
    }

    /// Ends a side-by-side sync's staging (`DestinationLookup`): the index holds the objects the
    /// source passed by, and remembers how many the destination listed in all.
    func finishMerge(listed: Int, takenByFilters: Int) throws {
        if pendingInTransaction == 0 { try database.execute("BEGIN") }
        try database.run("INSERT OR REPLACE INTO state (key, value) VALUES ('merged_listed', ?), ('merged_taken', ?)",
                         [.text(String(listed)), .text(String(takenByFilters))])
        pendingInTransaction = 1
        try commit()
    }

    /// How many objects a side-by-side sync listed (all, and those the filters take); nil when
    /// the index was staged whole (count its rows instead).
    func mergedCounts() throws -> (listed: Int, taken: Int)? {
        let statement = try database.cached("SELECT key, value FROM state WHERE key IN ('merged_listed', 'merged_taken')")
        try statement.bind([])
        var listed: Int?
        var taken: Int?
        while try statement.step() {
            if statement.text(0) == "merged_listed" { listed = Int(statement.text(1)) } else { taken = Int(statement.text(1)) }
        }
        guard let listed, let taken else { return nil }
        return (listed, taken)
    }

    private func commit() throws {
        guard pendingInTransaction > 0 else { return }
        try database.execute("COMMIT")
        pendingInTransaction = 0
    }

    /// Holds one read transaction across a run of `entry(at:)` lookups: without it every lookup
    /// takes and drops SQLite's file locks (two `fcntl` calls, a tenth of a no-op sync's CPU).
    func beginLookups() throws { try database.execute("BEGIN") }

    func endLookups() throws { try database.execute("COMMIT") }

    func entry(at path: String) throws -> DestinationEntry? {
        let statement = try database.cached("SELECT path, size, last_modified, recorded_time, crc64, md5, etag "
                                            + "FROM entries WHERE path = ?")
        try statement.bind([.text(path)])
        guard try statement.step() else { return nil }
        return Self.entry(statement)
    }

    /// How many objects the destination listed (for `--max-delete N%`).
    func count() throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM entries")
        _ = try statement.step()
        return Int(statement.int64(0))
    }

    /// How many listed objects `isTaken` takes (streamed; for `--max-delete N%` under filters).
    func count(where isTaken: (DestinationEntry) -> Bool) throws -> Int {
        let statement = try database.prepare("SELECT path, size, last_modified, recorded_time, crc64, md5, etag FROM entries")
        var count = 0
        while try statement.step() {
            if isTaken(Self.entry(statement)) { count += 1 }
        }
        return count
    }

    /// Makes the job's database (its `files` table) visible to `unmatched`, read-only in effect.
    func attachJob(database jobDatabase: String) throws {
        try database.execute("ATTACH DATABASE '\(jobDatabase.replacingOccurrences(of: "'", with: "''"))' AS job")
    }

    /// The next `limit` destination objects after `after`, in path byte order, that no row of the
    /// job's `files` table names (the source did not list them) and that were not deleted yet.
    /// Paged so that deleting between pages never writes under an open cursor.
    func unmatched(after: String?, limit: Int) throws -> [DestinationEntry] {
        try page(matching: "SELECT 1 FROM job.files f WHERE f.destination_path = e.path", after: after, limit: limit)
    }

    /// `unmatched` for a dry run: objects no `markListed` path names.
    func unlisted(after: String?, limit: Int) throws -> [DestinationEntry] {
        try page(matching: "SELECT 1 FROM listed l WHERE l.path = e.path", after: after, limit: limit)
    }

    private func page(matching source: String, after: String?, limit: Int) throws -> [DestinationEntry] {
        let statement = try database.cached("""
            SELECT path, size, last_modified, recorded_time, crc64, md5, etag FROM entries e
            WHERE e.deleted = 0 AND e.path > ? AND NOT EXISTS (\(source))
            ORDER BY e.path LIMIT ?
            """)
        // '' sorts before every non-empty path, and no object has an empty relative path.
        try statement.bind([.text(after ?? ""), .integer(Int64(limit))])
        var page: [DestinationEntry] = []
        while try statement.step() { page.append(Self.entry(statement)) }
        return page
    }

    func markDeleted(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        try database.execute("BEGIN")
        for path in paths { try database.run("UPDATE entries SET deleted = 1 WHERE path = ?", [.text(path)]) }
        try database.execute("COMMIT")
    }

    private static func time(_ date: Date?) -> SQLiteValue { date.map { .real($0.timeIntervalSinceReferenceDate) } ?? .null }

    private static func entry(_ row: SQLiteStatement) -> DestinationEntry {
        DestinationEntry(path: row.text(0), sizeBytes: row.int64(1),
                         lastModified: row.isNull(2) ? nil : Date(timeIntervalSinceReferenceDate: row.double(2)),
                         recordedSourceTime: row.isNull(3) ? nil : Date(timeIntervalSinceReferenceDate: row.double(3)),
                         crc64: row.crc(4), contentMD5: row.blob(5), etag: row.optionalText(6))
    }
}
