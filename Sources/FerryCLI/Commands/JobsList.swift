import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Jobs {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists recorded jobs, oldest first.")

        @OptionGroup(title: "Output") var output: OutputOptions

        func run() async throws {
            let format = output.outputType
            try await BlockingWork.run { Self.list(format: format) }
        }

        /// Reads every job database (blocking; runs on its own thread).
        static func list(format: ProgressReporter.Format) {
            let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
            var lines: [String] = []
            for id in home.jobIDs() {
                do {
                    let store = try SQLiteManifestStore.openExisting(home: home, jobID: id, toRun: false)
                    defer { store.close() }
                    let totals = try store.totals()
                    let state = try store.currentJobState().state
                    lines.append(JobDescription.line(job: store.job, state: JobDescription.stateLabel(state, jobID: id, home: home), totals: totals, format: format))
                } catch let error as FerryError {
                    lines.append("\(id)  unreadable: \(error.message)")
                } catch {
                    lines.append("\(id)  unreadable: \(error)")
                }
            }
            if lines.isEmpty && format == .text { lines.append("No jobs in \(home.jobsDirectory).") }
            FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        }
    }
}
