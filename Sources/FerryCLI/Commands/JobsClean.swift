import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Jobs {
    struct Clean: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deletes the record (database and receipt) of one job, or of every job with --all.",
            discussion: """
            A job that stopped with large files half sent may hold S3 multipart uploads at its \
            destination; they are aborted first (the destination is reopened like `ferry jobs resume` \
            does: --destination, --s3-endpoint etc., credentials from the environment). If the \
            destination cannot be reached, the job record is kept and the command fails, unless \
            --force is given: then the record is deleted anyway and the uploads are left to the \
            bucket's lifecycle rules.

            Examples:
              $ ferry jobs clean 20261124-221500-0a1b2c
              $ ferry jobs clean --all --force
            """)

        @Argument(help: "The job ID to delete (see `ferry jobs list`).")
        var jobID: String?

        @Flag(help: "Delete every job record (default: off).")
        var all = false

        @Flag(help: "Delete the record even if unfinished uploads at the destination could not be aborted (default: off).")
        var force = false

        @Option(help: "The destination again, e.g. with a fresh SAS (default: the recorded destination, without credentials).")
        var destination: String?

        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func validate() throws {
            if (jobID == nil) == !all { throw ValidationError("give a job ID or --all (not both)") }
            if all, destination != nil { throw ValidationError("--destination goes with one job ID, not --all") }
        }

        func run() async throws {
            let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
            var ids = all ? home.jobIDs() : [jobID!]
            // A job another process is running keeps its record (it is still being written).
            let running = ids.filter { SQLiteManifestStore.isRunning(home: home, jobID: $0) }
            if !all, !running.isEmpty {
                throw CommandFailure.exitCode(for: FerryError(.manifest, "job \(running[0]) is running; stop it first",
                                                              disposition: .abortJob))
            }
            ids.removeAll { running.contains($0) }
            let (all, force, destination, bearerTokenFile, s3, signIn) = (all, force, destination, auth.bearerTokenFile, s3, auth.signIn)
            var deleted = 0
            var firstFailure: FerryError?
            for id in ids {
                let path = home.databasePath(jobID: id)
                guard all || FileManager.default.fileExists(atPath: path),
                      id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw CommandFailure.exitCode(for: FerryError(.notFound, "no job '\(id)' in \(home.jobsDirectory)",
                                                                  disposition: .abortJob))
                }
                do {
                    try await BlockingWork.run {
                        try Self.abandonUploads(home: home, jobID: id, destination: destination,
                                                opening: { EndpointOpening(bearerTokenFile: bearerTokenFile, connectionCount: 8,
                                                                           s3Options: s3.over($0), azureSignIn: signIn) })
                    }
                } catch let error as FerryError {
                    guard force else {
                        let kept = FerryError(error.code, "job \(id) kept: its unfinished uploads could not be aborted (\(error.message)); "
                                              + "fix access and retry, or use --force", disposition: .abortJob)
                        FileHandle.standardError.write(Data("error: \(kept.message)\n".utf8))
                        if firstFailure == nil { firstFailure = kept }
                        continue
                    }
                    FileHandle.standardError.write(Data("warning: job \(id): unfinished uploads left in place: \(error.message)\n".utf8))
                }
                // The job database, and a sync's destination index and a shard's split beside it.
                for base in [path, FerryHome.destinationIndexPath(jobDatabase: path), ShardSelection.path(jobDatabase: path)] {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: base + suffix) }
                }
                try? FileManager.default.removeItem(atPath: home.receiptPath(jobID: id))
                deleted += 1
            }
            FileHandle.standardOutput.write(Data("Deleted \(deleted) job record(s).\n".utf8))
            if let firstFailure {
                throw firstFailure.code == .authenticationFailed ? CommandFailure.authentication : ExitCode.failure
            }
        }

        /// Aborts the job's unfinished multipart uploads (blocking). Opens the destination only if
        /// there is something to abort.
        static func abandonUploads(home: FerryHome, jobID: String, destination: String?,
                                   opening: (S3EndpointOptions?) -> EndpointOpening) throws {
            let store = try SQLiteManifestStore.openExisting(home: home, jobID: jobID, toRun: false)
            defer { store.close() }
            let abandoned = try AbandonedWrites.find(in: store)
            guard !abandoned.writes.isEmpty else { return }
            let location = try EndpointLocation(destination ?? store.job.spec.destinationRoot)
            let endpoint = try opening(store.job.spec.s3Options).opener()(location)
            let count = try abandoned.abandon(at: endpoint)
            guard endpoint.capabilities.isRemote else { return }  // local partial files: nothing was aborted
            FileHandle.standardOutput.write(Data("Job \(jobID): aborted \(count) unfinished upload(s) at \(location.redacted).\n".utf8))
        }
    }
}
