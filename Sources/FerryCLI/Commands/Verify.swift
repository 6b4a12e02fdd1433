import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Checks a local directory, Azure prefix or S3 prefix against a receipt.",
            discussion: """
            The receipt is checked first (sorted, complete, root hash matching its lines). Then files are \
            compared by path bytes, size and CRC-64: local files are read; remote objects by the CRC-64 Ferry \
            stored with them (read where none is stored), or by their bytes with --read, which also catches bytes \
            changed behind the store's back. Each problem is a line (`missing: PATH`, `extra: PATH`, \
            `different: PATH (…)`, `unreadable: PATH (…)`; NDJSON with --output-type json), then a summary.

            Exit codes: 0 every file matches; 1 some file is missing, extra, different or unreadable, or the \
            location could not be listed; 3 authentication or authorization failure; 64 usage error, or RECEIPT \
            is not a valid receipt (malformed, truncated, or changed since it was written).

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry copy ./corpus http://127.0.0.1:10000/devstoreaccount1/data -r --receipt c.jsonl
              $ ferry verify c.jsonl http://127.0.0.1:10000/devstoreaccount1/data --read
              $ ferry verify c.jsonl s3://datasets/v2 --s3-endpoint http://127.0.0.1:8333 --output-type json
            """)

        @Argument(help: "The receipt file (from `ferry copy`, `ferry sync` or `ferry receipt`; - for standard input).")
        var receipt: String

        @Argument(help: "Local directory, http(s) Azure Blob URL or s3:// URL to check; receipt paths are relative to it.")
        var target: String

        @Flag(name: .customLong("read"), help: "Read every remote object's bytes instead of trusting its stored CRC-64 (default: off).")
        var readBytes = false

        @Option(help: "Objects checksummed or read in parallel (default: 16).")
        var concurrency: Int?

        @OptionGroup(title: "Sharding") var sharding: ShardOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func validate() throws {
            guard (1...512).contains(concurrency ?? 16) else { throw ValidationError("--concurrency must be between 1 and 512") }
            if sharding.shard != nil && receipt == "-" {
                throw ValidationError("--shard reads the receipt twice: give it as a file, not standard input")
            }
        }

        func run() async throws {
            let opening = EndpointOpening(bearerTokenFile: auth.bearerTokenFile, connectionCount: concurrency ?? 16,
                                          s3Options: s3.given ?? S3EndpointOptions(), azureSignIn: auth.signIn)
            let (receipt, target, readBytes, concurrency, json) = (receipt, target, readBytes, concurrency ?? 16, output.outputType == .json)
            let summary: ReceiptVerification.Summary
            do {
                let shard = try sharding.resolve()
                summary = try await BlockingWork.run {
                    let location = try EndpointLocation(target)
                    let endpoint = try opening.opener()(location)
                    return try ReceiptVerification.run(receiptPath: receipt, endpoint: endpoint, readBytes: readBytes,
                                                       workerCount: concurrency, shard: shard) { problem in
                        let line = json ? problem.jsonLine : problem.textLine
                        FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    }
                }
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error, verbose: output.logLevel == .debug)
            }
            FileHandle.standardOutput.write(Data((Self.summaryLine(summary, json: json) + "\n").utf8))
            if summary.problemCount > 0 { throw ExitCode.failure }
        }

        static func summaryLine(_ summary: ReceiptVerification.Summary, json: Bool) -> String {
            let result = summary.problemCount == 0 ? "match" : "different"
            if json {
                return "{\"type\":\"verifySummary\",\"result\":\"\(result)\",\"receiptFiles\":\(summary.receipt.fileCount),"
                    + "\"matched\":\(summary.matched),\"missing\":\(summary.missing),\"extra\":\(summary.extra),"
                    + "\"different\":\(summary.different),\"unreadable\":\(summary.unreadable),"
                    + "\"checkedObjects\":\(summary.checkedObjects),\"rootHash\":\"\(summary.receipt.rootHash)\"}"
            }
            let verdict = summary.problemCount == 0 ? "OK: every file matches the receipt" : "DIFFERENT: \(summary.problemCount) problem(s)"
            return "\(verdict) (\(summary.receipt.fileCount) file(s) in the receipt: \(summary.matched) match, "
                + "\(summary.missing) missing, \(summary.extra) extra, \(summary.different) different, \(summary.unreadable) unreadable)"
        }
    }
}
