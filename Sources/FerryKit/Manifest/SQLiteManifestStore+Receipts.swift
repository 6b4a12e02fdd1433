import Foundation

/// The job's receipt, built from the manifest after the job completed (`ReceiptEntry` describes
/// the format): every file the job finished (`done`, with the CRC-64 and MD5 it verified) and
/// every unchanged file a sync recorded as `skipped` with its CRC-64, keyed by destination path.
/// One streaming query on the writer thread: `ORDER BY destination_path` on TEXT with the BINARY
/// collation is memcmp of the UTF-8 bytes — the receipt's order — and SQLite's sorter spills to
/// disk, so 1M files cost flat memory. Should a path have two rows, the latest (highest id) wins.
/// `+state` keeps SQLite off the state index: the receipt of a completed job reads nearly every
/// row, and walking `files_by_destination` in order beats gathering rows by state and sorting
/// them in a temporary B-tree.
extension SQLiteManifestStore {
    /// Writes the receipt to `path` (via a temporary file renamed into place) and returns its
    /// trailer. `privateFile`: mode 0600, as everything in the job folder.
    public func writeReceipt(to path: String, privateFile: Bool = false) throws -> ReceiptTrailer {
        try flush()
        return try query { database in
            try ReceiptFile.write(to: path, mode: privateFile ? 0o600 : 0o644) { writer in
                try Self.streamReceiptEntries(database) { try writer.add($0) }
            }
        }
    }

    static func streamReceiptEntries(_ database: SQLiteDatabase, _ body: (ReceiptEntry) throws -> Void) throws {
        let statement = try database.prepare("""
            SELECT destination_path, size, crc64, md5, mtime, max(id) FROM files
            WHERE +state = 'done' OR (+state = 'skipped' AND crc64 IS NOT NULL)
            GROUP BY destination_path ORDER BY destination_path
            """)
        while try statement.step() {
            let path = statement.text(0)
            guard let crc = statement.crc(2) else {
                throw FerryError(.manifest, "no receipt: the manifest has no CRC-64 for '\(path)'", disposition: .abortJob)
            }
            // `mtime` is seconds since 2001-01-01 (Foundation's reference date), as the manifest keeps it.
            let modified = statement.isNull(4) ? nil : Date(timeIntervalSinceReferenceDate: statement.double(4))
            try body(ReceiptEntry(path: path, sizeBytes: statement.int64(1), crc64: crc, md5: statement.blob(3), modified: modified))
        }
    }
}
