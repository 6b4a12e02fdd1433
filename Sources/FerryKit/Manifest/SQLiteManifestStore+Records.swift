import Foundation

/// The manifest's writes and queries, each one SQL statement on the writer thread.
extension SQLiteManifestStore {
    public func addFiles(_ files: [FileRecord], scanCursor: String?) {
        enqueue { database in
            let insert = try database.cached("""
                INSERT OR IGNORE INTO files (id, source_path, destination_path, size, mtime, block_size, block_count, state,
                resume_token, source_crc64, source_md5, content_mtime, confirm, destination_crc64, crc64, etag)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            // Bound column by column (a 200,000-file sync inserts as many rows).
            func crc(_ value: UInt64?) -> Int64? { value.map { Int64(bitPattern: $0) } }
            for file in files {
                let plan = file.plan
                insert.clear()
                try insert.bind(1, file.id)
                try insert.bind(2, plan.sourcePath)
                try insert.bind(3, plan.destinationPath)
                try insert.bind(4, plan.sizeBytes)
                try insert.bind(5, plan.lastModified?.timeIntervalSinceReferenceDate)
                try insert.bind(6, Int64(plan.blockSizeBytes))
                try insert.bind(7, Int64(plan.blockCount))
                try insert.bind(8, file.state.rawValue)
                try insert.bind(9, file.resumeToken)
                if let value = crc(plan.sourceCRC64) { try insert.bind(10, value) }
                try insert.bind(11, plan.sourceMD5)
                try insert.bind(12, plan.contentModified?.timeIntervalSinceReferenceDate)
                try insert.bind(13, Int64(plan.confirmsBeforeSending ? 1 : 0))
                if let value = crc(plan.destinationCRC64) { try insert.bind(14, value) }
                if let value = crc(file.crc64) { try insert.bind(15, value) }
                try insert.bind(16, file.etag)
                _ = try insert.step()
            }
            let bytes = files.reduce(Int64(0)) { $0 + $1.plan.sizeBytes }
            try database.run("UPDATE job SET scan_cursor = coalesce(?, scan_cursor), total_files = total_files + ?, "
                             + "total_bytes = total_bytes + ?, updated = ?",
                             [.optional(scanCursor), .integer(Int64(files.count)), .integer(bytes), .real(Date().timeIntervalSince1970)])
        }
    }

    public func markScanComplete() {
        enqueue { try $0.run("UPDATE job SET scan_complete = 1", []) }
    }

    public func setJobState(_ state: JobState) {
        enqueue { try $0.run("UPDATE job SET state = ?, updated = ?", [.text(state.rawValue), .real(Date().timeIntervalSince1970)]) }
    }

    public func setResumeToken(fileID: Int64, token: String?) throws {
        enqueue { try $0.run("UPDATE files SET resume_token = ? WHERE id = ?", [.optional(token), .integer(fileID)]) }
        try flush()
    }

    public func markBlockDone(fileID: Int64, index: Int, crc64: UInt64, receipt: String?) {
        enqueue {
            try $0.run("INSERT OR REPLACE INTO blocks (file_id, idx, state, crc64, receipt) VALUES (?,?,'done',?,?)",
                       [.integer(fileID), .integer(Int64(index)), .crc(crc64), .optional(receipt)])
        }
    }

    public func forgetBlocks(fileID: Int64) {
        enqueue { try $0.run("DELETE FROM blocks WHERE file_id = ?", [.integer(fileID)]) }
    }

    public func finishFile(fileID: Int64, state: FileState, crc64: UInt64?, md5: Data?, error: FerryError?) {
        enqueue { database in
            try database.run("UPDATE files SET state = ?, crc64 = ?, md5 = ?, error_code = ?, error_message = ? WHERE id = ?",
                             [.text(state.rawValue), .crc(crc64), .optional(md5), .optional(error?.code.rawValue),
                              .optional(error?.message), .integer(fileID)])
            // A finished file's block rows have served their purpose; dropping them keeps the db small.
            if state == .done { try database.run("DELETE FROM blocks WHERE file_id = ?", [.integer(fileID)]) }
        }
    }

    public func unfinishedFiles(afterID: Int64, limit: Int) throws -> [FileRecord] {
        try query { database in
            let statement = try database.cached("SELECT \(ManifestSchema.fileColumns) FROM files "
                                                + "WHERE id > ? AND state IN ('pending','failed') ORDER BY id LIMIT ?")
            try statement.bind([.integer(afterID), .integer(Int64(limit))])
            return try Self.readFiles(statement)
        }
    }

    public func files(state: FileState?, afterID: Int64, limit: Int) throws -> [FileRecord] {
        try query { database in
            let statement = try database.cached("SELECT \(ManifestSchema.fileColumns) FROM files "
                                                + "WHERE id > ? AND (? IS NULL OR state = ?) ORDER BY id LIMIT ?")
            try statement.bind([.integer(afterID), .optional(state?.rawValue), .optional(state?.rawValue), .integer(Int64(limit))])
            return try Self.readFiles(statement)
        }
    }

    public func skippedFilesWithoutCRC64() throws -> Int {
        try query { database in
            let statement = try database.cached("SELECT count(*) FROM files WHERE state = 'skipped' AND crc64 IS NULL")
            try statement.bind([])
            _ = try statement.step()
            return Int(statement.int64(0))
        }
    }

    public func doneBlocks(fileID: Int64) throws -> [Int: DoneBlock] {
        try query { database in
            let statement = try database.cached("SELECT idx, crc64, receipt FROM blocks WHERE file_id = ? AND state = 'done'")
            try statement.bind([.integer(fileID)])
            var blocks: [Int: DoneBlock] = [:]
            while try statement.step() {
                blocks[Int(statement.int64(0))] = DoneBlock(crc64: statement.crc(1) ?? 0, receipt: statement.optionalText(2))
            }
            return blocks
        }
    }

    public func largestFileID() throws -> Int64 {
        try query { database in
            let statement = try database.cached("SELECT coalesce(max(id), 0) FROM files")
            try statement.bind([])
            return try statement.step() ? statement.int64(0) : 0
        }
    }

    public func hasFile(destinationPath: String) throws -> Bool {
        try query { database in
            let statement = try database.cached("SELECT 1 FROM files WHERE destination_path = ? LIMIT 1")
            try statement.bind([.text(destinationPath)])
            return try statement.step()
        }
    }

    public func scanCursor() throws -> String? {
        try query { database in
            let statement = try database.cached("SELECT scan_cursor FROM job")
            try statement.bind([])
            return try statement.step() ? statement.optionalText(0) : nil
        }
    }

    public func totals() throws -> JobTotals {
        try query { database in
            let statement = try database.cached("SELECT state, count(*), coalesce(sum(size), 0) FROM files GROUP BY state")
            try statement.bind([])
            var totals = JobTotals()
            while try statement.step() {
                let count = Int(statement.int64(1))
                let bytes = statement.int64(2)
                totals.files += count
                totals.bytes += bytes
                switch FileState(rawValue: statement.text(0)) {
                case .done: totals.doneFiles += count; totals.doneBytes += bytes
                case .failed: totals.failedFiles += count
                case .skipped: totals.skippedFiles += count
                case .pending, .none: totals.pendingFiles += count
                }
            }
            return totals
        }
    }

    /// The job row's state as stored now (the `job` property is the state at open).
    public func currentJobState() throws -> (state: JobState, scanComplete: Bool) {
        try query { database in
            let statement = try database.cached("SELECT state, scan_complete FROM job")
            try statement.bind([])
            guard try statement.step() else { throw database.failure("it has no job row") }
            return (JobState(rawValue: statement.text(0)) ?? .failed, statement.int64(1) != 0)
        }
    }

    private static func readFiles(_ statement: SQLiteStatement) throws -> [FileRecord] {
        var files: [FileRecord] = []
        while try statement.step() {
            var plan = FilePlan(sourcePath: statement.text(1), destinationPath: statement.text(2), sizeBytes: statement.int64(3),
                                lastModified: statement.isNull(4) ? nil : Date(timeIntervalSinceReferenceDate: statement.double(4)),
                                blockSizeBytes: Int(statement.int64(5)), sourceCRC64: statement.crc(8),
                                sourceMD5: statement.blob(9))
            if !statement.isNull(12) { plan.contentModified = Date(timeIntervalSinceReferenceDate: statement.double(12)) }
            plan.confirmsBeforeSending = statement.int64(13) != 0
            plan.destinationCRC64 = statement.crc(14)
            var file = FileRecord(id: statement.int64(0), plan: plan, state: FileState(rawValue: statement.text(6)) ?? .pending,
                                  resumeToken: statement.optionalText(7), errorCode: statement.optionalText(10),
                                  errorMessage: statement.optionalText(11))
            file.crc64 = statement.crc(15)
            file.etag = statement.optionalText(16)
            files.append(file)
        }
        return files
    }
}
