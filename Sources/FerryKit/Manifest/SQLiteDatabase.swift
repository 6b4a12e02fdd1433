import CSQLite
import Foundation

/// One SQLite connection. Not thread-safe: it belongs to a single thread (the manifest writer, or
/// a short-lived reader). The class owns the handle and closes it in `deinit`; every SQLite error
/// becomes a `FerryError(.manifest)` that aborts the job.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(path, &opened, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = opened
        guard status == SQLITE_OK else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(status)"
            throw FerryError(.manifest, "cannot open job database '\(path)': \(message)", disposition: .abortJob)
        }
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { closeConnection() }

    /// Closing will leave the write-ahead log in place (the next opener replays it) instead of
    /// checkpointing it: a checkpoint fsyncs, and at the end of a job that fsync queues behind every
    /// byte the job wrote to the same disk (0.3 s after a 2 GiB download here). Safe: the log holds
    /// committed transactions exactly as a crash would leave them.
    func leaveLogOnClose() {
        _ = ferry_sqlite3_skip_checkpoint_on_close(handle)
    }

    /// Closes now (the last connection checkpoints and removes the WAL unless `leaveLogOnClose`);
    /// later calls fail.
    func closeConnection() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "code \(status)"
            sqlite3_free(message)
            throw failure(text)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure(lastMessage)
        }
        return SQLiteStatement(statement, database: self)
    }

    private var cache: [String: SQLiteStatement] = [:]

    /// A prepared statement kept for reuse (hot paths: block and file updates).
    func cached(_ sql: String) throws -> SQLiteStatement {
        if let statement = cache[sql] { return statement }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// Runs `sql` once with `values` bound in order.
    func run(_ sql: String, _ values: [SQLiteValue]) throws {
        let statement = try cached(sql)
        try statement.bind(values)
        _ = try statement.step()
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func failure(_ message: String) -> FerryError {
        FerryError(.manifest, "job database '\(path)' failed: \(message)", disposition: .abortJob)
    }
}

/// A value bound to or read from a statement.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    static func optional(_ value: Int64?) -> SQLiteValue { value.map { .integer($0) } ?? .null }
    static func optional(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func optional(_ value: Data?) -> SQLiteValue { value.map { .blob($0) } ?? .null }
    /// CRC-64 values are stored as their signed 64-bit bit pattern (SQLite integers are signed).
    static func crc(_ value: UInt64?) -> SQLiteValue { value.map { .integer(Int64(bitPattern: $0)) } ?? .null }
}
