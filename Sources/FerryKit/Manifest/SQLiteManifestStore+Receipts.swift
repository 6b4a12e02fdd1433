import Foundation

/// The job's receipt, built from the manifest after the job completed (`ReceiptEntry` describes
/// the format): every file the job finished (`done`, with the CRC-64 and MD5 it verified) and
/// every unchanged file a sync recorded as `skipped` with its CRC-64, keyed by destination path.
/// Read on the database's writer thread, formatted and written on the receipt's own
/// (`ReceiptPipeline`). The ordered query: `ORDER BY destination_path` on TEXT with the
/// BINARY collation is memcmp of the UTF-8 bytes — the receipt's order — walking
/// `files_by_destination`, so 1M files cost flat memory; should a path have two rows, the latest
/// (highest id) wins. `+state` keeps SQLite off the state index older job databases have.
extension SQLiteManifestStore {
    /// Writes the receipt to `path` (via a temporary file renamed into place) and returns its
    /// trailer. `privateFile`: mode 0600, as everything in the job folder.
    ///
    /// Files are recorded in listing order, which for a local tree or Azure is already the
    /// receipt's order (the destination path is the source path behind one prefix). So the rows
    /// are first read in the table's own order — no index, no sorter — and only if a path comes
    /// out of order (SeaweedFS listings, a path recorded twice) is the receipt started again from
    /// the ordered query. On a 200,000-file no-op sync that is 0.13 s of reading instead of 0.32 s,
    /// at the end of the job where nothing else runs. Standard output cannot be started again:
    /// `-` always takes the ordered query.
    public func writeReceipt(to path: String, privateFile: Bool = false) throws -> ReceiptTrailer {
        try flush()
        let mode: mode_t = privateFile ? 0o600 : 0o644
        return try query { database in
            if path != "-" {
                do {
                    return try ReceiptFile.write(to: path, mode: mode) { writer in
                        try ReceiptPipeline.run(into: writer) { try Self.streamReceiptEntriesInRecordOrder(database, $0) }
                    }
                } catch is RecordOrderIsNotReceiptOrder {}
            }
            return try ReceiptFile.write(to: path, mode: mode) { writer in
                try ReceiptPipeline.run(into: writer) { try Self.streamReceiptEntries(database, $0) }
            }
        }
    }

    private struct RecordOrderIsNotReceiptOrder: Error {}

    static let receiptColumns = "destination_path, size, crc64, md5, mtime"
    static let receiptRows = "+state = 'done' OR (+state = 'skipped' AND crc64 IS NOT NULL)"

    /// The receipt's entries in byte order of path, the latest row of a path twice recorded.
    static func streamReceiptEntries(_ database: SQLiteDatabase, _ body: (ReceiptEntry) throws -> Void) throws {
        let statement = try database.prepare("""
            SELECT \(receiptColumns), max(id) FROM files WHERE \(receiptRows)
            GROUP BY destination_path ORDER BY destination_path
            """)
        while try statement.step() { try body(try receiptEntry(statement)) }
    }

    /// The receipt's rows in the order they were recorded; throws `RecordOrderIsNotReceiptOrder`
    /// at the first path that is not after the one before it (which also catches a path twice).
    private static func streamReceiptEntriesInRecordOrder(_ database: SQLiteDatabase,
                                                          _ body: (ReceiptEntry) throws -> Void) throws {
        let statement = try database.prepare("SELECT \(receiptColumns) FROM files WHERE \(receiptRows) ORDER BY id")
        var previous: String?
        while try statement.step() {
            let entry = try receiptEntry(statement)
            if let previous, !NameOrder.precedes(previous, entry.path) { throw RecordOrderIsNotReceiptOrder() }
            previous = entry.path
            try body(entry)
        }
    }

    private static func receiptEntry(_ statement: SQLiteStatement) throws -> ReceiptEntry {
        let path = statement.text(0)
        guard let crc = statement.crc(2) else {
            throw FerryError(.manifest, "no receipt: the manifest has no CRC-64 for '\(path)'", disposition: .abortJob)
        }
        // `mtime` is seconds since 2001-01-01 (Foundation's reference date), as the manifest keeps it.
        let modified = statement.isNull(4) ? nil : Date(timeIntervalSinceReferenceDate: statement.double(4))
        return ReceiptEntry(path: path, sizeBytes: statement.int64(1), crc64: crc, md5: statement.blob(3), modified: modified)
    }
}
