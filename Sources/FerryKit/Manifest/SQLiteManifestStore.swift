#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The manifest in SQLite (WAL), one database per job at `$FERRY_HOME/jobs/<job-id>.db`.
///
/// Concurrency: ONE writer thread owns the connection. Every call, from any thread, becomes an
/// operation on its queue; the thread drains the queue in batches, each batch one transaction, so
/// thousands of small-file updates per second cost a handful of commits. Queries wait for their
/// batch. State shared with callers (`queue`, counters, `writeFailure`) is guarded by
/// `condition`, which is why `@unchecked Sendable` is sound. Call `close()` when done.
public final class SQLiteManifestStore: ManifestStore, @unchecked Sendable {
    public let job: JobRecord
    let databasePath: String
    private let condition = NSCondition()
    private var queue: [(SQLiteDatabase) -> Void] = []
    private var submitted = 0
    private var completed = 0
    private var writeFailure: FerryError?
    private var closing = false
    private var finished = false
    /// Callers blocked in `query`/`flush`: the writer does not pause to batch while they wait.
    private var waitingCallers = 0
    static let batchTarget = 512
    /// An exclusive `flock` on the database while a process runs the job (-1 for readers), so two
    /// processes never run one job at once. Released by `close()` or by the process dying.
    private let runLock: Int32
    private var runLockReleased = false

    /// Creates the job's database (0600, in a 0700 directory) and records the job.
    ///
    /// The schema and the job row are written under a hidden name (`.<id>.db.creating`, rollback
    /// journal) and the database takes its name (`link`, never replacing one) only once whole, so
    /// a `kill -9` during creation leaves no `<id>.db` that `ferry jobs resume` cannot read (it
    /// used to leave one without tables: "no such table: files" on every resume).
    public static func create(home: FerryHome, job: JobRecord) throws -> SQLiteManifestStore {
        try home.prepare()
        let path = home.databasePath(jobID: job.id)
        let building = home.jobsDirectory + "/." + job.id + ".db.creating"
        unlink(building)
        unlink(building + "-journal")
        let descriptor = open(building, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FerryError(.manifest, "cannot create job database '\(path)': \(String(cString: strerror(errno)))",
                             disposition: .abortJob)
        }
        Glibc.close(descriptor)
        do {
            let draft = try SQLiteDatabase(path: building)
            // One transaction, no fsyncs: like the WAL's NORMAL, a crash loses the draft, never a name.
            try draft.execute("PRAGMA synchronous = OFF; BEGIN IMMEDIATE;")
            try draft.execute(ManifestSchema.create)
            let specJSON = String(decoding: try JSONEncoder().encode(job.spec), as: UTF8.self)
            try draft.run("INSERT INTO job (id, created, command_line, source, destination, spec_json, state) VALUES (?,?,?,?,?,?,?)",
                          [.text(job.id), .real(job.created.timeIntervalSince1970), .text(job.commandLine),
                           .text(job.spec.source), .text(job.spec.destination), .text(specJSON), .text(job.state.rawValue)])
            try draft.execute("COMMIT;")
            draft.closeConnection()
            guard link(building, path) == 0 else {
                throw FerryError(.manifest, "cannot create job database '\(path)': \(String(cString: strerror(errno)))",
                                 disposition: .abortJob)
            }
            unlink(building)
        } catch {
            unlink(building)
            unlink(building + "-journal")
            throw error
        }
        let runLock = try acquireRunLock(path, jobID: job.id)
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        return SQLiteManifestStore(job: job, database: database, runLock: runLock)
    }

    /// Opens an existing job's database. `toRun`: this process will run the job (refused while
    /// another process runs it); false for read-only inspection (`ferry jobs list/show`).
    public static func openExisting(home: FerryHome, jobID: String, toRun: Bool = true) throws -> SQLiteManifestStore {
        guard jobID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !jobID.isEmpty else {
            throw FerryError(.usage, "'\(jobID)' is not a job ID (see `ferry jobs list`)", disposition: .abortJob)
        }
        let path = home.databasePath(jobID: jobID)
        guard access(path, F_OK) == 0 else {
            throw FerryError(.notFound, "no job '\(jobID)' in \(home.jobsDirectory) (see `ferry jobs list`)",
                             disposition: .abortJob)
        }
        let runLock = toRun ? try acquireRunLock(path, jobID: jobID) : -1
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path)
        } catch {
            if runLock >= 0 { Glibc.close(runLock) }
            throw error
        }
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try upgradeIfNeeded(database)
        let row = try database.prepare("SELECT id, created, command_line, spec_json, state, scan_complete FROM job")
        guard try row.step() else { throw database.failure("it has no job row") }
        let spec: JobSpec
        do {
            spec = try JSONDecoder().decode(JobSpec.self, from: Data(row.text(3).utf8))
        } catch {
            throw database.failure("its job description is unreadable (\(error))")
        }
        let job = JobRecord(id: row.text(0), created: Date(timeIntervalSince1970: row.double(1)), commandLine: row.text(2),
                            spec: spec, state: JobState(rawValue: row.text(4)) ?? .failed, scanComplete: row.int64(5) != 0)
        return SQLiteManifestStore(job: job, database: database, runLock: runLock)
    }

    private static func upgradeIfNeeded(_ database: SQLiteDatabase) throws {
        let version = try database.prepare("PRAGMA user_version")
        guard try version.step(), version.int64(0) < ManifestSchema.version else { return }
        try database.execute("BEGIN IMMEDIATE; " + ManifestSchema.upgradeFromVersion1 + " COMMIT;")
    }

    /// Is some process running this job now (holding its run lock)?
    public static func isRunning(home: FerryHome, jobID: String) -> Bool {
        let descriptor = Glibc.open(home.databasePath(jobID: jobID), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        return flock(descriptor, LOCK_SH | LOCK_NB) != 0
    }

    private static func acquireRunLock(_ path: String, jobID: String) throws -> Int32 {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FerryError(.manifest, "cannot open job database '\(path)': \(String(cString: strerror(errno)))",
                             disposition: .abortJob)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            throw FerryError(.manifest, "job \(jobID) is running in another ferry process", disposition: .abortJob)
        }
        return descriptor
    }

    private init(job: JobRecord, database: SQLiteDatabase, runLock: Int32) {
        self.job = job
        self.runLock = runLock
        databasePath = database.path
        // The connection moves to the writer thread and never leaves it.
        nonisolated(unsafe) let owned = database
        let thread = Thread { [self] in self.drain(owned) }
        thread.name = "ferry-manifest"
        thread.start()
    }

    // MARK: - The writer thread

    private func drain(_ database: SQLiteDatabase) {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            if queue.isEmpty && closing {
                database.leaveLogOnClose()
                database.closeConnection()
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            // A short pause lets a burst of small-file updates share one transaction.
            if queue.count < Self.batchTarget && !closing && waitingCallers == 0 {
                _ = condition.wait(until: Date().addingTimeInterval(0.005))
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()

            var failure: FerryError?
            do { try database.execute("BEGIN IMMEDIATE") } catch { failure = error as? FerryError }
            for operation in batch { operation(database) }
            if failure == nil {
                do { try database.execute("COMMIT") } catch {
                    failure = error as? FerryError
                    try? database.execute("ROLLBACK")
                }
            }

            condition.lock()
            if let failure, writeFailure == nil { writeFailure = failure }
            completed += batch.count
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Queues a write; a failure is kept and reported by the next `flush()`.
    func enqueue(_ write: @escaping (SQLiteDatabase) throws -> Void) {
        condition.lock()
        queue.append { [self] database in
            do { try write(database) } catch {
                condition.lock()
                if writeFailure == nil {
                    writeFailure = (error as? FerryError) ?? database.failure("\(error)")
                }
                condition.unlock()
            }
        }
        submitted += 1
        if queue.count == 1 || queue.count == Self.batchTarget { condition.broadcast() }
        condition.unlock()
    }

    /// Runs `body` on the writer thread after everything queued so far, and returns its result.
    func query<T>(_ body: @escaping (SQLiteDatabase) throws -> T) throws -> T {
        nonisolated(unsafe) var outcome: Result<T, Error>?
        condition.lock()
        guard !finished else {
            condition.unlock()
            throw FerryError(.internal, "the job database is closed", disposition: .abortJob)
        }
        queue.append { database in outcome = Result { try body(database) } }
        submitted += 1
        let ticket = submitted
        waitingCallers += 1
        condition.broadcast()
        while completed < ticket { condition.wait() }
        waitingCallers -= 1
        condition.unlock()
        return try outcome!.get()
    }

    public func flush() throws {
        condition.lock()
        let ticket = submitted
        waitingCallers += 1
        condition.broadcast()
        while completed < ticket && !finished { condition.wait() }
        waitingCallers -= 1
        let failure = writeFailure
        condition.unlock()
        if let failure { throw failure }
    }

    public func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        let releaseLock = !runLockReleased && runLock >= 0
        runLockReleased = true
        condition.unlock()
        if releaseLock { Glibc.close(runLock) }
    }
}
