import ArgumentParser
import Foundation
import FerryKit

/// Writes a finished job's receipt: only when the job completed (every file done), to
/// `$FERRY_HOME/jobs/<job-id>.receipt.jsonl` and to `--receipt FILE` when given. A receipt that
/// cannot be written to FILE fails the command (exit 1: the user asked for it); one that cannot be
/// written to the job folder is a warning.
struct JobReceipt {
    var lines: [String] = []
    var exitCode: ExitCode = .success

    static func write(summary: JobSummary, store: SQLiteManifestStore, extraFile: String?,
                      reporter: ProgressReporter, setup: JobSetup? = nil) async -> JobReceipt {
        var result = JobReceipt()
        guard summary.state == .completed else {
            if extraFile != nil {
                reporter.warning("no receipt written: the job did not complete (\(summary.state.rawValue)); "
                                 + "`ferry jobs resume \(store.job.id)` writes it when the job completes")
            }
            return result
        }
        let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
        let jobID = store.job.id
        var targets = [(home.receiptPath(jobID: jobID), false)]
        if let extraFile { targets.append((extraFile, true)) }
        // A sync's unchanged files may have no known CRC-64 (S3 and local listings carry none):
        // `--receipt FILE` checksums them; the job-folder receipt alone is not worth reading a
        // whole dataset on a no-op sync, so it is left out then.
        if let setup, setup.spec.options.sync != nil {
            let concurrency = setup.spec.options.concurrency ?? 16
            let unknown = try? await BlockingWork.run { () -> Int in
                extraFile == nil ? try UnchangedChecksums.countMissing(store: store)
                    : try UnchangedChecksums.fill(store: store, source: setup.source, destination: setup.destination,
                                                   concurrency: concurrency)
            }
            if let unknown, unknown > 0 {
                let note = "no receipt written: \(unknown) unchanged file(s) have no known CRC-64"
                if extraFile != nil {
                    FileHandle.standardError.write(Data("error: \(note) (their store keeps none and they could not be read)\n".utf8))
                    result.exitCode = .failure
                } else {
                    result.lines.append("No job receipt: \(unknown) unchanged file(s) have no known CRC-64 (add --receipt FILE to checksum them)")
                }
                return result
            }
        }
        for (path, requested) in targets {
            do {
                let trailer = try await BlockingWork.run { try store.writeReceipt(to: path, privateFile: !requested) }
                reporter.receiptWritten(path: path, trailer: trailer)
                result.lines.append("Receipt: \(path) (\(trailer.fileCount) file(s), root hash \(trailer.rootHash))")
            } catch {
                let message = (error as? FerryError)?.message ?? "\(error)"
                if requested {
                    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
                    result.exitCode = .failure
                } else {
                    reporter.warning(message)
                }
            }
        }
        return result
    }

    /// The `Receipt: …` lines, after the text summary (JSON mode had `receipt` events instead).
    func printText(format: ProgressReporter.Format, quiet: Bool) {
        guard format == .text, !quiet, !lines.isEmpty else { return }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
