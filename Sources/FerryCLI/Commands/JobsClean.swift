import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Jobs {
    struct Clean: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deletes the record of one job, or of every job with --all.")

        @Argument(help: "The job ID to delete (see `ferry jobs list`).")
        var jobID: String?

        @Flag(help: "Delete every job record (default: off).")
        var all = false

        func validate() throws {
            if (jobID == nil) == !all { throw ValidationError("give a job ID or --all (not both)") }
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
            for id in ids {
                let path = home.databasePath(jobID: id)
                guard all || FileManager.default.fileExists(atPath: path),
                      id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw CommandFailure.exitCode(for: FerryError(.notFound, "no job '\(id)' in \(home.jobsDirectory)",
                                                                  disposition: .abortJob))
                }
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            FileHandle.standardOutput.write(Data("Deleted \(ids.count) job record(s).\n".utf8))
        }
    }
}
