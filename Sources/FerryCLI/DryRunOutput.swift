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

    /// Joins a redacted root (maybe with a query) and a relative path, for display.
    static func join(_ root: String, _ relative: String) -> String {
        guard !relative.isEmpty else { return root }
        var base = root
        var query = ""
        if let mark = root.firstIndex(of: "?") {
            base = String(root[..<mark])
            query = String(root[mark...])
        }
        return (base.hasSuffix("/") ? base : base + "/") + relative + query
    }
}
