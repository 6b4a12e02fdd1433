import Foundation
import FerryKit

/// One job as a line of `ferry jobs list` (text) or a `job` NDJSON event.
enum JobDescription {
    /// The state to show: a job recorded `running` that no process runs any more was interrupted
    /// (killed); `ferry jobs resume` continues it.
    static func stateLabel(_ state: JobState, jobID: String, home: FerryHome) -> String {
        if state == .running && !SQLiteManifestStore.isRunning(home: home, jobID: jobID) { return "interrupted" }
        return state.rawValue
    }

    static func line(job: JobRecord, state: String, totals: JobTotals, format: ProgressReporter.Format) -> String {
        if format == .json {
            var event = OutputEvent(type: "job", jobID: job.id)
            event.state = state
            event.source = job.spec.source
            event.destination = job.spec.destination
            event.filesTotal = totals.files
            event.filesDone = totals.doneFiles
            event.filesFailed = totals.failedFiles
            event.filesSkipped = totals.skippedFiles
            event.bytesTotal = totals.bytes
            event.bytesDone = totals.doneBytes
            return event.jsonLine()
        }
        let padded = state.padding(toLength: 23, withPad: " ", startingAt: 0)
        let shard = job.spec.options.shard.map { " (shard \($0))" } ?? ""
        return "\(job.id)  \(padded)  \(totals.doneFiles)/\(totals.files) files  \(job.spec.source) → \(job.spec.destination)\(shard)"
    }
}
