import Foundation
import FerryKit

/// One job as a line of `ferry jobs list` (text) or a `job` NDJSON event.
enum JobDescription {
    static func line(job: JobRecord, state: JobState, totals: JobTotals, format: ProgressReporter.Format) -> String {
        if format == .json {
            var event = OutputEvent(type: "job", jobID: job.id)
            event.state = state.rawValue
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
        let padded = state.rawValue.padding(toLength: 23, withPad: " ", startingAt: 0)
        return "\(job.id)  \(padded)  \(totals.doneFiles)/\(totals.files) files  \(job.spec.source) → \(job.spec.destination)"
    }
}
