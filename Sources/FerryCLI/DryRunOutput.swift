import Foundation
import FerryKit

/// Prints `--dry-run` results: `DRYRUN: copy SRC to DST` lines, or NDJSON `dryRun` events.
enum DryRunOutput {
    static func print(_ setup: JobSetup, format: ProgressReporter.Format) throws {
        let sourceRoot = setup.spec.source
        let destinationRoot = setup.spec.destination
        var count = 0
        try DryRun.run(setup) { plan in
            count += 1
            let from = join(sourceRoot, plan.sourcePath)
            let to = join(destinationRoot, plan.destinationPath)
            let line: String
            if format == .json {
                var event = OutputEvent(type: "dryRun", jobID: "")
                event.path = from
                event.destination = to
                event.bytesTotal = plan.sizeBytes
                line = event.jsonLine()
            } else {
                line = "DRYRUN: copy \(from) to \(to)"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        if format == .text {
            FileHandle.standardOutput.write(Data("DRYRUN: \(count) file(s) would be copied\n".utf8))
        }
    }

    /// `ferry sync --dry-run`: copies and deletes, then the counts; a safety check that would stop
    /// a real run's deletes is thrown after the listing (exit 4, as the real run would).
    static func printSync(_ setup: JobSetup, format: ProgressReporter.Format) throws {
        let (sourceRoot, destinationRoot) = (setup.spec.source, setup.spec.destination)
        func write(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        let outcome = try SyncDryRun.run(setup, copy: { plan in
            let (from, to) = (join(sourceRoot, plan.sourcePath), join(destinationRoot, plan.destinationPath))
            if format == .json {
                var event = OutputEvent(type: "dryRun", jobID: "")
                event.path = from
                event.destination = to
                event.bytesTotal = plan.sizeBytes
                write(event.jsonLine())
            } else {
                write("DRYRUN: copy \(from) to \(to)")
            }
        }, delete: { path in
            let target = join(destinationRoot, path)
            if format == .json {
                var event = OutputEvent(type: "dryRunDelete", jobID: "")
                event.path = target
                write(event.jsonLine())
            } else {
                write("DRYRUN: delete \(target)")
            }
        })
        if format == .text {
            write("DRYRUN: \(outcome.copies) file(s) would be copied, \(outcome.deletes) object(s) would be deleted")
        }
        if let refusal = outcome.refusal { throw refusal }
    }

    private static func join(_ root: String, _ relative: String) -> String { DisplayPath.join(root, relative) }
}
