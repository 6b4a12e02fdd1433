/// The job database's tables. One database per job; one job row.
///
/// Ready for what comes later: `files.resume_token` and `blocks.receipt` carry S3 UploadIds and
/// part ETags; `files.shard` lets scale-out split a job across machines; `job.scan_cursor` and
/// `job.scan_complete` let an interrupted enumeration continue where it stopped.
///
/// One secondary index, by destination path (the receipt's order, and how a resumed scan knows
/// what it recorded: the destination path is the source path behind a fixed prefix). Every
/// query by state pages through `id` order, which the table itself is. Each index is a B-tree
/// insert per file: the state and source-path indexes earlier databases have (kept there, and
/// harmless) were a fifth of a no-op sync's database time.
enum ManifestSchema {
    static let version = 2

    static let create = """
    PRAGMA user_version = \(version);
    CREATE TABLE IF NOT EXISTS job (
        id TEXT PRIMARY KEY,
        created REAL NOT NULL,
        command_line TEXT NOT NULL,
        source TEXT NOT NULL,
        destination TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        state TEXT NOT NULL,
        scan_complete INTEGER NOT NULL DEFAULT 0,
        scan_cursor TEXT,
        total_files INTEGER NOT NULL DEFAULT 0,
        total_bytes INTEGER NOT NULL DEFAULT 0,
        updated REAL
    );
    CREATE TABLE IF NOT EXISTS files (
        id INTEGER PRIMARY KEY,
        source_path TEXT NOT NULL,
        destination_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL,            -- seconds since 2001-01-01, exactly as Foundation's Date holds them
                               -- (a resume compares it with the source's, so it round-trips bit for bit)
        block_size INTEGER NOT NULL,
        block_count INTEGER NOT NULL,
        state TEXT NOT NULL,
        resume_token TEXT,
        source_crc64 INTEGER,
        source_md5 BLOB,
        crc64 INTEGER,
        md5 BLOB,
        error_code TEXT,
        error_message TEXT,
        shard INTEGER NOT NULL DEFAULT 0,
        content_mtime REAL,    -- the dataset time a write records (SourceTime); NULL = mtime
        confirm INTEGER NOT NULL DEFAULT 0,  -- sync: send only if the checksums of both sides differ
        destination_crc64 INTEGER,           -- sync: the CRC-64 the destination listed
        etag TEXT                            -- the destination object's ETag, when known
    );
    CREATE INDEX IF NOT EXISTS files_by_destination ON files(destination_path);
    CREATE TABLE IF NOT EXISTS blocks (
        file_id INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        state TEXT NOT NULL,
        crc64 INTEGER,
        receipt TEXT,
        PRIMARY KEY (file_id, idx)
    ) WITHOUT ROWID;
    """

    static let fileColumns = """
    id, source_path, destination_path, size, mtime, block_size, state, resume_token, source_crc64, source_md5, \
    error_code, error_message, content_mtime, confirm, destination_crc64, crc64, etag
    """

    /// Brings a version-1 database (written before sync existed) to this version.
    static let upgradeFromVersion1 = """
    ALTER TABLE files ADD COLUMN content_mtime REAL;
    ALTER TABLE files ADD COLUMN confirm INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE files ADD COLUMN destination_crc64 INTEGER;
    ALTER TABLE files ADD COLUMN etag TEXT;
    CREATE INDEX IF NOT EXISTS files_by_destination ON files(destination_path);
    PRAGMA user_version = \(version);
    """
}
