import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Deletes an object, or with -r every object under a local directory, Azure Blob prefix or S3 prefix.",
            discussion: """
            Recursive deletes ask for confirmation on a terminal unless --force is given; without a terminal \
            they need --force. S3 deletes go 1,000 keys per DeleteObjects request; Azure and local deletes run \
            in parallel. --dry-run prints what would be deleted (DRYRUN: delete PATH) and changes nothing. \
            The filters choose which objects go; anything they leave out is kept. Local: symbolic links are never \
            followed or deleted; the named directory is kept, and directories below it that the deletes left \
            empty are removed.

            With --output-type json: {"type":"deleted","path"} per object (or {"type":"dryRunDelete","path"}), \
            {"type":"deleteFailed","path","code","message"} per failure, then {"type":"summary", \
            "objectsDeleted","objectsFailed","directoriesRemoved","dryRun"} (plus "dryRunDeletes" in a dry run).

            Exit codes: 0 all deleted; 1 some deletes failed, or nothing was at the location; 3 authentication \
            or authorization failure; 4 a recursive delete was not confirmed (declined, or no terminal and no \
            --force): nothing was deleted; 64 usage error.

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry rm http://127.0.0.1:10000/devstoreaccount1/datasets/corpus/readme.txt
              $ ferry rm http://127.0.0.1:10000/devstoreaccount1/datasets/corpus -r --dry-run
              $ ferry rm s3://datasets/v2 -r --force --include-pattern '*.tmp' --s3-endpoint http://127.0.0.1:8333
            """)

        /// Exit code when a recursive delete was not confirmed (as `ferry sync`'s safety stops).
        static let notConfirmed = ExitCode(4)

        @Argument(help: "Local path, http(s) Azure Blob URL or s3:// URL of the object or prefix to delete.")
        var location: String

        @Flag(name: [.short, .long], help: "Delete every object under the location (default: only the object it names).")
        var recursive = false

        @Flag(name: .customLong("dry-run"), help: "Print what would be deleted and delete nothing (default: off).")
        var dryRun = false

        @Flag(name: .customLong("force"), help: "Delete recursively without asking for confirmation (default: ask on a terminal).")
        var force = false

        @Option(name: .customLong("concurrency"),
                help: "Delete requests in flight at once; on S3 each carries up to 1,000 keys (default: 32).")
        var concurrency = 32

        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func validate() throws {
            guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
        }

        func run() async throws {
            let opening = EndpointOpening(bearerTokenFile: auth.bearerTokenFile, connectionCount: concurrency,
                                          s3Options: s3.given ?? S3EndpointOptions(), azureSignIn: auth.signIn)
            let verbose = output.logLevel == .debug
            let (recursive, dryRun, concurrency, json) = (recursive, dryRun, concurrency, output.outputType == .json)
            let (text, needsConfirmation) = (location, recursive && !force && !dryRun)
            do {
                let filter = try filters.pathFilter()
                let location = try EndpointLocation(text)
                if needsConfirmation {
                    let question = "Delete every object under \(location.kind == .local ? location.root : location.redacted)"
                        + (filter.takesEverything ? "" : " that the filters select")
                        + "? [y/N] "
                    switch try await BlockingWork.run({ ConfirmationPrompt.ask(question) }) {
                    case .yes:
                        break
                    case .no:
                        FileHandle.standardError.write(Data("error: nothing deleted: the recursive delete was not confirmed\n".utf8))
                        throw Self.notConfirmed
                    case .noTerminal:
                        FileHandle.standardError.write(Data(("error: refusing to delete recursively without confirmation: no terminal "
                            + "to ask on; pass --force to delete, or --dry-run to see what would be deleted\n").utf8))
                        throw Self.notConfirmed
                    }
                }
                let prepared = RemovalRun(location: location, recursive: recursive, dryRun: dryRun, filter: filter,
                                          concurrency: concurrency, json: json)
                let code = try await BlockingWork.run { try prepared.execute(open: opening.opener()) }
                if code != .success { throw code }
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error, verbose: verbose)
            }
        }
    }
}
