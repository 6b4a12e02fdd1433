import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Receipt {
    /// `ferry receipt [write] TARGET` (the default subcommand: `ferry receipt TARGET` as before `merge` existed).
    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a receipt of the files a local directory, Azure prefix or S3 prefix holds now.",
            usage: "ferry receipt <target> [--output <file>] [--read] [<options>]",
            discussion: """
            A receipt is JSON Lines: one line per file (path relative to TARGET, size, CRC-64; MD5, ETag and \
            mtime when known) sorted by path bytes, then a line with a root hash over path, size and CRC-64 only: \
            the same files on two machines, whatever their mtimes, give the same last line.

            Local files are read. Remote objects use the CRC-64 Ferry stored with them (listed on Azure, one \
            HEAD per object on S3); objects with none stored are read, and --read reads every object.

            Exit codes: 0 receipt written; 1 the location could not be listed or an object could not be read \
            (nothing is written); 3 authentication or authorization failure; 64 usage error.

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry receipt ./corpus --output corpus.receipt.jsonl
              $ ferry receipt http://127.0.0.1:10000/devstoreaccount1/datasets --output remote.jsonl
              $ ferry receipt s3://datasets/v2 --s3-endpoint http://127.0.0.1:8333 --read > s3.jsonl
              $ tail -n 1 corpus.receipt.jsonl remote.jsonl
            """)

        @Argument(help: "Local directory, http(s) Azure Blob URL or s3:// URL whose files to describe.")
        var target: String

        @Option(name: .customLong("output"), help: ArgumentHelp("Write the receipt to this file (default: standard output).",
                                                                valueName: "file"))
        var outputFile: String?

        @Flag(name: .customLong("read"), help: "Compute every remote object's CRC-64 from its bytes instead of the stored one (default: off).")
        var readBytes = false

        @Option(help: "Objects checksummed or read in parallel (default: 16).")
        var concurrency: Int?

        @OptionGroup(title: "Sharding") var sharding: ShardOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func validate() throws {
            guard (1...512).contains(concurrency ?? 16) else { throw ValidationError("--concurrency must be between 1 and 512") }
        }

        func run() async throws {
            let opening = EndpointOpening(bearerTokenFile: auth.bearerTokenFile, connectionCount: concurrency ?? 16,
                                          s3Options: s3.given ?? S3EndpointOptions(), azureSignIn: auth.signIn)
            let (target, outputFile, readBytes, concurrency) = (target, outputFile ?? "-", readBytes, concurrency ?? 16)
            do {
                let shard = try sharding.resolve()
                let outcome = try await BlockingWork.run { () -> (LocationReceipt.Outcome, String) in
                    let location = try EndpointLocation(target)
                    try ReceiptTargets.requireDirectory(location)
                    let endpoint = try opening.opener()(location)
                    let outcome = try LocationReceipt.write(endpoint: endpoint, readBytes: readBytes, workerCount: concurrency,
                                                            shard: shard, to: outputFile)
                    return (outcome, location.redacted)
                }
                let (result, redacted) = outcome
                let trailer = result.trailer
                let destination = outputFile == "-" ? "" : " → \(outputFile)"
                FileHandle.standardError.write(Data(("Receipt of \(redacted): \(trailer.fileCount) file(s), "
                    + "\(ByteCount.format(trailer.totalBytes)), root hash \(trailer.rootHash)\(destination)\n").utf8))
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error)
            }
        }
    }
}

