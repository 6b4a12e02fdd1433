import CSQLite
import Foundation

/// A prepared statement; same thread as its database. Finalized in `deinit`.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLiteValue]) throws {
        clear()
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: continue
            case .integer(let number): try bind(index, number)
            case .real(let number): try bind(index, number)
            case .text(let text): try bind(index, text)
            case .blob(let data): try bind(index, data)
            }
        }
    }

    /// Column by column, for the hot insert of a batch of files: no `[SQLiteValue]` array (and
    /// its enum boxes) per row. `clear()` first; unbound columns are NULL.
    func clear() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        guard sqlite3_bind_int64(statement, index, value) == SQLITE_OK else { throw database.failure(database.lastMessage) }
    }

    func bind(_ index: Int32, _ value: Double?) throws {
        guard let value else { return }
        guard sqlite3_bind_double(statement, index, value) == SQLITE_OK else { throw database.failure(database.lastMessage) }
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard var value else { return }
        let status = value.withUTF8 { utf8 in
            sqlite3_bind_text(statement, index, UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                .assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
        }
        guard status == SQLITE_OK else { throw database.failure(database.lastMessage) }
    }

    func bind(_ index: Int32, _ value: Data?) throws {
        guard let value else { return }
        let status = value.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
        guard status == SQLITE_OK else { throw database.failure(database.lastMessage) }
    }

    /// Advances; true while a row is available.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.failure(database.lastMessage)
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    func text(_ column: Int32) -> String { sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "" }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func crc(_ column: Int32) -> UInt64? { optionalInt64(column).map { UInt64(bitPattern: $0) } }
    func blob(_ column: Int32) -> Data? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
