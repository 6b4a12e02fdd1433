import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Makes a destination hold what a source directory holds, sending only what is new or changed.",
            discussion: """
            DST mirrors SRC's contents (SRC/a/b → DST/a/b). Both sides are listed once; a file is sent when \
            its size differs, or its time differs from the one Ferry recorded when it sent it and the CRC-64 of \
            the two sides differ too (a fresh checkout with new times sends nothing). Downloads keep the source's \
            times. Objects another tool wrote are sent when older than the source. A sync is a job: \
            `ferry jobs resume ID` finishes one that was cut off.

            --delete-destination true removes destination objects the source no longer has, only after the \
            whole source was listed and every file succeeded, never paths the filters leave out, and never \
            because the source is empty. Under --shard I/N each worker sends its part of the split and deletes \
            only objects no source file names whose path hashes to its part. Exit codes: 0 in sync; 1 some files failed; 2 cancelled but \
            resumable; 3 authentication failure; 4 deletes stopped by a safety check (nothing deleted); 64 usage.

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry sync ./corpus http://127.0.0.1:10000/devstoreaccount1/datasets/corpus
              $ ferry sync ./corpus http://127.0.0.1:10000/devstoreaccount1/datasets/corpus --delete-destination true --max-delete 5%
              $ ferry sync http://127.0.0.1:10000/devstoreaccount1/datasets/corpus ./restore --dry-run
              $ ferry sync ./corpus s3://datasets/corpus --s3-endpoint http://127.0.0.1:8333 --compare-hash
            """)

        @Argument(help: "Local directory, http(s) Azure URL or s3:// URL whose contents are the truth.")
        var source: String

        @Argument(help: "Local directory, http(s) Azure URL or s3:// URL made to match it.")
        var destination: String

        @OptionGroup(title: "Sync") var sync: SyncChoices
        @OptionGroup(title: "Transfer") var transfer: TransferOptions
        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Receipt") var receipt: ReceiptOptions
        @OptionGroup(title: "Sharding") var sharding: ShardOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func run() async throws {
            let verbose = output.logLevel == .debug
            var chosen: FerryKit.TransferOptions
            do {
                chosen = try transfer.libraryOptions(filters: filters)
                chosen.shard = try sharding.resolve()
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error, verbose: verbose)
            }
            chosen.sync = sync.libraryOptions
            try await JobLaunch.run(source: source, destination: destination, options: chosen, dryRun: transfer.dryRun,
                                    output: output, auth: auth, s3: s3, receiptFile: receipt.receiptFile,
                                    makeSetup: { try JobSetup.newSync(source: $0, destination: $1, options: $2, open: $3) },
                                    printDryRun: { try DryRunOutput.printSync($0, format: $1) })
        }
    }
}
