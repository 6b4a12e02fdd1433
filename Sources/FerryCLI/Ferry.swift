import ArgumentParser
import Foundation
import FerryKit

@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Moves datasets between local disks, Azure Blob Storage and S3.",
        discussion: """
        Ferry copies files in parallel blocks, checks every byte with CRC-64, records each job in a \
        database under $FERRY_HOME (default ~/.ferry), and resumes a job that was cut off, even by kill -9. \
        A runner that lost $FERRY_HOME runs the same copy again: blocks the destination already holds \
        are reused where the local bytes still match them.

        Exit codes: 0 all files done; 1 some files failed (verify: some file differs from the receipt); \
        2 cancelled but resumable; 3 authentication or authorization failure; 64 usage error.

        Examples (against the local emulator):
          $ ferry copy ./corpus http://127.0.0.1:10000/devstoreaccount1/datasets --recursive
          $ ferry verify ~/.ferry/jobs/20261124-221500-0a1b2c.receipt.jsonl http://127.0.0.1:10000/devstoreaccount1/datasets
          $ ferry jobs list
          $ ferry jobs resume 20261124-221500-0a1b2c
        """,
        version: "0.1.0",
        subcommands: [Copy.self, Sync.self, Jobs.self, List.self, Remove.self, Receipt.self, Verify.self, Login.self])

    /// The default `main`, except that a usage error (argument-parser's too) is ONE line,
    /// `error: <message>`, with exit code 64, as `--help` documents; help, version and
    /// completion scripts print as usual, and commands' own `ExitCode`s pass through.
    static func main() async {
        // Before any thread starts: few malloc arenas keep memory flat (see FerryProcess).
        FerryProcess.limitMemoryArenas()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if !(error is ExitCode), exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((Self.usageLine(message(for: error)) + "\n").utf8))
                Foundation.exit(CommandFailure.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// `Unknown option '--x'` (and any usage after it) → `error: unknown option '--x'`.
    static func usageLine(_ message: String) -> String {
        let first = message.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let text = first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "invalid arguments"
        let body = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
        return "error: " + body.prefix(1).lowercased() + body.dropFirst()
    }
}
