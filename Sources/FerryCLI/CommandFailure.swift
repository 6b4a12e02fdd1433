import ArgumentParser
import Foundation
import FerryKit

/// Turns errors and job outcomes into the documented exit codes, printing one `error: …` line.
enum CommandFailure {
    static let cancelled = ExitCode(2)
    static let authentication = ExitCode(3)
    /// A sync's safety check stopped its deletes (`--max-delete`, an empty source, no approval).
    static let deletionRefused = ExitCode(4)
    static let usage = ExitCode(64)

    /// Prints `error: <message>` on stderr and returns the exit code for `error`.
    static func exitCode(for error: FerryError, verbose: Bool = false) -> ExitCode {
        var line = "error: \(error.message)"
        if verbose, let cause = error.cause { line += " (cause: \(cause))" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        switch error.code {
        case .usage: return usage
        case .authenticationFailed: return authentication
        case .cancelled: return cancelled
        case .deletionRefused: return deletionRefused
        default: return .failure
        }
    }

    static func exitCode(for summary: JobSummary, verbose: Bool) -> ExitCode {
        if let fatal = summary.fatalError { return exitCode(for: fatal, verbose: verbose) }
        switch summary.state {
        case .completed: return .success
        case .completedWithFailures, .failed, .running: return .failure
        case .cancelled: return cancelled
        }
    }
}
