import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Jobs {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one job: its command, totals and failed files.")

        @Argument(help: "The job ID (see `ferry jobs list`).")
        var jobID: String

        @Option(help: "Failed files to list at most (default: 50).")
        var limit = 50

        @OptionGroup(title: "Output") var output: OutputOptions

        func run() async throws {
            let (jobID, limit, format) = (jobID, limit, output.outputType)
            try await BlockingWork.run { try Self.show(jobID: jobID, limit: limit, format: format) }
        }

        /// Reads the job database (blocking; runs on its own thread).
        static func show(jobID: String, limit: Int, format: ProgressReporter.Format) throws {
            let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
            do {
                let store = try SQLiteManifestStore.openExisting(home: home, jobID: jobID, toRun: false)
                defer { store.close() }
                let totals = try store.totals()
                let state = try store.currentJobState()
                let failed = try store.files(state: .failed, afterID: 0, limit: limit)
                var lines: [String] = []
                if format == .json {
                    lines.append(JobDescription.line(job: store.job, state: JobDescription.stateLabel(state.state, jobID: jobID, home: home), totals: totals, format: .json))
                    for file in failed {
                        var event = OutputEvent(type: "fileFailed", jobID: store.job.id)
                        event.path = file.plan.sourcePath
                        event.code = file.errorCode
                        event.message = file.errorMessage
                        lines.append(event.jsonLine())
                    }
                } else {
                    let job = store.job
                    lines += [
                        "Job:         \(job.id)",
                        "State:       \(JobDescription.stateLabel(state.state, jobID: jobID, home: home))\(state.scanComplete ? "" : " (listing incomplete)")",
                        "Created:     \(job.created)",
                        "Command:     \(job.commandLine)",
                        "Source:      \(job.spec.source)",
                        "Destination: \(job.spec.destination)",
                        "Files:       \(totals.doneFiles) done, \(totals.failedFiles) failed, \(totals.skippedFiles) skipped, "
                            + "\(totals.pendingFiles) pending, \(totals.files) total",
                        "Bytes:       \(ByteCount.format(totals.doneBytes)) of \(ByteCount.format(totals.bytes))",
                    ]
                    for file in failed {
                        lines.append("failed: \(file.plan.sourcePath): [\(file.errorCode ?? "?")] \(file.errorMessage ?? "")")
                    }
                }
                FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error)
            }
        }
    }
}
