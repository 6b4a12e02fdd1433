#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import FerryKit

@Suite struct ManifestStoreTests {
    static func spec(source: String = "/data/corpus", destination: String = "/backup") -> JobSpec {
        JobSpec(source: source, destination: destination, sourceRoot: source, destinationRoot: destination,
                shape: .directory(name: "corpus"), mapping: PathMapping(source: .directory(name: "corpus"), destinationIsContainer: true),
                options: TransferOptions())
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func createsPrivateFilesAndRecordsStateTransitions() throws {
        try withTemporaryDirectory { base in
            let home = FerryHome(path: base + "/home")
            let store = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-1", created: Date(), commandLine: "ferry copy",
                                                                                  spec: Self.spec()))
            #expect(Self.mode(home.path) == 0o700)
            #expect(Self.mode(home.jobsDirectory) == 0o700)
            #expect(Self.mode(home.databasePath(jobID: "job-1")) == 0o600)

            let big = FilePlan(sourcePath: "big.bin", destinationPath: "corpus/big.bin", sizeBytes: 30, lastModified: Date(),
                               blockSizeBytes: 10)
            let small = FilePlan(sourcePath: "small.bin", destinationPath: "corpus/small.bin", sizeBytes: 3, lastModified: nil,
                                 blockSizeBytes: 10)
            store.addFiles([FileRecord(id: 1, plan: big), FileRecord(id: 2, plan: small)], scanCursor: "small.bin")
            store.markBlockDone(fileID: 1, index: 0, crc64: UInt64.max, receipt: "etag-0")
            store.markBlockDone(fileID: 1, index: 2, crc64: 7, receipt: nil)
            try store.setResumeToken(fileID: 1, token: "upload-1")
            store.finishFile(fileID: 2, state: .failed, crc64: nil, md5: nil,
                             error: FerryError(.network, "timed out", disposition: .skipItem))
            try store.flush()

            let done = try store.doneBlocks(fileID: 1)
            #expect(done == [0: DoneBlock(crc64: UInt64.max, receipt: "etag-0"), 2: DoneBlock(crc64: 7, receipt: nil)])
            #expect(try store.scanCursor() == "small.bin")
            let unfinished = try store.unfinishedFiles(afterID: 0, limit: 10)
            #expect(unfinished.map(\.id) == [1, 2])
            #expect(unfinished[0].resumeToken == "upload-1")
            #expect(unfinished[0].plan.lastModified == big.lastModified)  // exact round trip: block IDs depend on it
            #expect(unfinished[0].plan.blocks() == big.blocks())
            #expect(unfinished[1].errorCode == "network")

            store.finishFile(fileID: 1, state: .done, crc64: 42, md5: Data([1, 2]), error: nil)
            let totals = try store.totals()
            #expect(totals.doneFiles == 1 && totals.failedFiles == 1 && totals.files == 2 && totals.doneBytes == 30)
            #expect(try store.doneBlocks(fileID: 1).isEmpty)  // a finished file's block rows are dropped
            store.setJobState(.completedWithFailures)
            store.markScanComplete()
            store.close()

            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: "job-1")
            defer { reopened.close() }
            #expect(reopened.job.spec == Self.spec())
            #expect(reopened.job.state == .completedWithFailures)
            #expect(reopened.job.scanComplete)
            #expect(try reopened.unfinishedFiles(afterID: 0, limit: 10).map(\.id) == [2])
        }
    }

    @Test func aHomeUnderMissingDirectoriesIsCreatedWithThem() throws {
        try withTemporaryDirectory { base in
            let home = FerryHome(path: base + "/scratch/run-7/ferry/")
            try home.prepare()
            #expect(Self.mode(base + "/scratch/run-7") & 0o700 == 0o700)
            #expect(Self.mode(home.path) == 0o700)
            #expect(Self.mode(home.jobsDirectory) == 0o700)
            // A file where a parent should be is a clear error, not a crash.
            #expect(FileManager.default.createFile(atPath: base + "/blocker", contents: Data()))
            #expect(throws: FerryError.self) { try FerryHome(path: base + "/blocker/ferry").prepare() }
        }
    }

    @Test func noSecretReachesTheDatabase() throws {
        try withTemporaryDirectory { base in
            let secret = "c2VjcmV0LXNpZ25hdHVyZQ%3D%3D"
            let url = "https://acct.blob.core.windows.net/data/corpus?sv=2024-01-01&se=2030-01-01&sp=rw&sig=\(secret)"
            let location = try EndpointLocation(url)
            let spec = JobSpec(source: "/data", destination: location.redacted, sourceRoot: "/data", destinationRoot: location.root,
                               shape: .directory(name: "data"), mapping: PathMapping(source: .directory(name: "data"),
                                                                                   destinationIsContainer: false),
                               options: TransferOptions())
            let commandLine = Redaction.commandLine(["ferry", "copy", "/data", url, "--bearer-token", "tok-\(secret)",
                                                     "--destination=\(url)"])
            let home = FerryHome(path: base + "/home")
            let store = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-2", created: Date(), commandLine: commandLine,
                                                                                  spec: spec))
            store.addFiles([FileRecord(id: 1, plan: FilePlan(sourcePath: "a", destinationPath: "data/a", sizeBytes: 1,
                                                             lastModified: nil, blockSizeBytes: 8))], scanCursor: "a")
            try store.flush()
            var bytes = Data()
            for suffix in ["", "-wal"] {
                bytes += FileManager.default.contents(atPath: home.databasePath(jobID: "job-2") + suffix) ?? Data()
            }
            store.close()
            bytes += FileManager.default.contents(atPath: home.databasePath(jobID: "job-2")) ?? Data()
            #expect(!bytes.isEmpty)
            #expect(bytes.range(of: Data(secret.utf8)) == nil)
            #expect(bytes.range(of: Data("sv=2024-01-01".utf8)) != nil)  // harmless parts stay readable
            #expect(!commandLine.contains(secret))
        }
    }

    @Test func oneProcessRunsAJobAtATime() throws {
        try withTemporaryDirectory { base in
            let home = FerryHome(path: base + "/home")
            let running = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-3", created: Date(), commandLine: "ferry",
                                                                                    spec: Self.spec()))
            #expect(SQLiteManifestStore.isRunning(home: home, jobID: "job-3"))
            #expect(throws: FerryError.self) { _ = try SQLiteManifestStore.openExisting(home: home, jobID: "job-3") }
            let reader = try SQLiteManifestStore.openExisting(home: home, jobID: "job-3", toRun: false)
            reader.close()
            running.close()
            running.close()  // closing twice is harmless
            #expect(!SQLiteManifestStore.isRunning(home: home, jobID: "job-3"))
            let resumed = try SQLiteManifestStore.openExisting(home: home, jobID: "job-3")
            resumed.close()
        }
    }

    /// A job database takes its name only once it holds the schema and the job row: a kill during
    /// creation leaves at most a hidden draft (which `jobIDs` does not list and the next creation
    /// of that ID replaces), never an `<id>.db` that cannot be resumed.
    @Test func aJobDatabaseTakesItsNameOnlyWhole() throws {
        try withTemporaryDirectory { base in
            let home = FerryHome(path: base + "/home")
            try home.prepare()
            let draft = home.jobsDirectory + "/.job-4.db.creating"
            #expect(FileManager.default.createFile(atPath: draft, contents: Data("half-written".utf8)))  // a killed creation
            #expect(home.jobIDs().isEmpty)
            let store = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-4", created: Date(), commandLine: "ferry copy a b",
                                                                                  spec: Self.spec()))
            store.close()
            #expect(access(draft, F_OK) != 0)
            #expect(home.jobIDs() == ["job-4"])
            #expect(Self.mode(home.databasePath(jobID: "job-4")) == 0o600)
            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: "job-4")
            #expect(reopened.job.commandLine == "ferry copy a b")
            #expect(try reopened.files(state: nil, afterID: 0, limit: 10).isEmpty)
            reopened.close()
            #expect(throws: FerryError.self) {
                _ = try SQLiteManifestStore.create(home: home, job: JobRecord(id: "job-4", created: Date(), commandLine: "again",
                                                                              spec: Self.spec()))
            }
        }
    }

    @Test func openingAnUnknownJobSaysSo() throws {
        try withTemporaryDirectory { base in
            #expect(throws: FerryError.self) { _ = try SQLiteManifestStore.openExisting(home: FerryHome(path: base), jobID: "nope") }
            #expect(throws: FerryError.self) { _ = try SQLiteManifestStore.openExisting(home: FerryHome(path: base), jobID: "../x") }
        }
    }
}
