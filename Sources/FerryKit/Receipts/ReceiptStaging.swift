#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A scratch SQLite database that holds a location's listing (and, for `verify`, a receipt's
/// entries) while receipts are built or compared. Listings need not arrive in byte order
/// (SeaweedFS lists otherwise), and 1M files must not be held in memory: rows go to disk as they
/// come and come back `ORDER BY path`, which for TEXT with SQLite's BINARY collation is memcmp of
/// the UTF-8 bytes — the receipt's order. The file lives in the temporary directory and is
/// deleted by `close()` (or `deinit`).
///
/// Not thread-safe: one owner thread (`SQLiteDatabase`'s rule); checksum workers hand their
/// results back to that thread.
final class ReceiptStaging {
    private let database: SQLiteDatabase
    private let path: String
    private var pendingRows = 0
    private var closed = false
    static let rowsPerTransaction = 10_000

    init() throws {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        path = directory + "/ferry-receipt-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).db"
        database = try SQLiteDatabase(path: path)
        try database.execute("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;
            CREATE TABLE objects (path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, crc64 INTEGER, md5 BLOB,
                                  etag TEXT, mtime REAL, error TEXT);
            CREATE TABLE expected (path TEXT PRIMARY KEY, size INTEGER NOT NULL, crc64 INTEGER NOT NULL) WITHOUT ROWID;
            BEGIN;
            """)
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        database.closeConnection()
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    // MARK: - Filling

    /// Adds a listed object; its stored CRC-64 is kept only when `keepStoredCRC64`.
    func addObject(_ info: ObjectInfo, keepStoredCRC64: Bool) throws {
        try database.run("INSERT OR REPLACE INTO objects (path, size, crc64, md5, etag, mtime) VALUES (?,?,?,?,?,?)",
                         [.text(info.path), .integer(info.sizeBytes), .crc(keepStoredCRC64 ? info.crc64 : nil),
                          .optional(info.contentMD5), .optional(info.etag),
                          info.lastModified.map { .real($0.timeIntervalSince1970) } ?? .null])
        try rowAdded()
    }

    /// Adds a receipt entry (the reader already refused duplicates).
    func addExpected(_ entry: ReceiptEntry) throws {
        try database.run("INSERT INTO expected (path, size, crc64) VALUES (?,?,?)",
                         [.text(entry.path), .integer(entry.sizeBytes), .crc(entry.crc64)])
        try rowAdded()
    }

    private func rowAdded() throws {
        pendingRows += 1
        if pendingRows >= Self.rowsPerTransaction { try commit() }
    }

    /// Ends the current batch of writes.
    func commit() throws {
        try database.execute("COMMIT; BEGIN;")
        pendingRows = 0
    }

    // MARK: - Checksums

    /// Objects whose CRC-64 is still to be found, after `rowID`, in row order. With
    /// `matchingExpectedSizeOnly`, only objects the receipt lists with the same size (others
    /// differ anyway, or are extra: reading them would prove nothing).
    func objectsNeedingChecksum(afterRowID rowID: Int64, limit: Int, matchingExpectedSizeOnly: Bool) throws -> [ChecksumTask] {
        let statement = try database.cached(matchingExpectedSizeOnly
            ? "SELECT o.rowid, o.path, o.size FROM objects o JOIN expected e ON e.path = o.path AND e.size = o.size "
              + "WHERE o.rowid > ? AND o.crc64 IS NULL AND o.error IS NULL ORDER BY o.rowid LIMIT ?"
            : "SELECT rowid, path, size FROM objects WHERE rowid > ? AND crc64 IS NULL AND error IS NULL ORDER BY rowid LIMIT ?")
        try statement.bind([.integer(rowID), .integer(Int64(limit))])
        var tasks: [ChecksumTask] = []
        while try statement.step() {
            tasks.append(ChecksumTask(rowID: statement.int64(0), path: statement.text(1), sizeBytes: statement.int64(2)))
        }
        return tasks
    }

    func record(_ outcome: ChecksumOutcome) throws {
        switch outcome.result {
        case .success(let crc):
            try database.run("UPDATE objects SET crc64 = ? WHERE rowid = ?", [.crc(crc), .integer(outcome.task.rowID)])
        case .failure(let error):
            try database.run("UPDATE objects SET error = ? WHERE rowid = ?", [.text(error.message), .integer(outcome.task.rowID)])
        }
        try rowAdded()
    }

    // MARK: - Reading back in byte order

    /// Every object in UTF-8 byte order of its path; a row without a CRC-64 carries its error.
    func objectsInOrder(_ body: (ReceiptEntry?, _ path: String, _ error: String?) throws -> Void) throws {
        try commit()
        let statement = try database.prepare("SELECT path, size, crc64, md5, etag, mtime, error FROM objects ORDER BY path")
        while try statement.step() {
            let path = statement.text(0)
            guard let crc = statement.crc(2) else {
                try body(nil, path, statement.optionalText(6) ?? "no CRC-64 was found")
                continue
            }
            let modified = statement.isNull(5) ? nil : Date(timeIntervalSince1970: statement.double(5))
            try body(ReceiptEntry(path: path, sizeBytes: statement.int64(1), crc64: crc, md5: statement.blob(3),
                                  etag: statement.optionalText(4), modified: modified), path, nil)
        }
    }

    /// The receipt's entries beside the objects of the same path, and the objects the receipt
    /// does not list, all in UTF-8 byte order of the path.
    func comparisonInOrder(_ body: (ComparedPath) throws -> Void) throws {
        try commit()
        let statement = try database.prepare("""
            SELECT e.path, e.size, e.crc64, o.rowid IS NOT NULL, o.size, o.crc64, o.error FROM expected e
                LEFT JOIN objects o ON o.path = e.path
            UNION ALL
            SELECT o.path, NULL, NULL, 1, o.size, o.crc64, o.error FROM objects o
                WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.path = o.path)
            ORDER BY 1
            """)
        while try statement.step() {
            let expected = statement.isNull(1) ? nil : ReceiptEntry(path: statement.text(0), sizeBytes: statement.int64(1),
                                                                    crc64: statement.crc(2) ?? 0)
            let found = statement.int64(3) != 0
            try body(ComparedPath(path: statement.text(0), expected: expected,
                                  actualSizeBytes: found ? statement.int64(4) : nil, actualCRC64: statement.crc(5),
                                  actualError: statement.optionalText(6)))
        }
    }
}

/// One path as `verify` sees it: what the receipt says (nil: not in the receipt) and what the
/// target holds (nil size: not there). Value type.
struct ComparedPath {
    var path: String
    var expected: ReceiptEntry?
    var actualSizeBytes: Int64?
    var actualCRC64: UInt64?
    var actualError: String?
}
