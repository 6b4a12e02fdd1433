import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "Lists the objects under a local directory, an Azure Blob prefix or an S3 prefix.",
            discussion: """
            Without -r, shows the entries directly under the location, deeper levels as one `name/` line each; \
            with -r, every object below it. Each line: modification time (ISO 8601, UTC), size, stored CRC-64 \
            (16 hex digits), stored Content-MD5 (base64), path relative to the location; `-` where the store \
            keeps no value. A `total:` line follows. Entries print as listing pages arrive (Azure and local \
            directories in byte order of the name; SeaweedFS in its own order), never all held in memory.

            With --output-type json: one JSON object per line, {"type":"object","path","sizeBytes", \
            "lastModified","crc64","contentMD5","etag"} (the last four when known) or {"type":"directory", \
            "path"}, then {"type":"summary","objects","bytes","directories"}.

            Exit codes: 0 listed; 1 the location could not be listed (missing local directory, missing \
            container or bucket, listing failed); 3 authentication or authorization failure; 64 usage error.

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry ls http://127.0.0.1:10000/devstoreaccount1/datasets
              $ ferry ls http://127.0.0.1:10000/devstoreaccount1/datasets/corpus -r --human-readable
              $ ferry ls s3://datasets/v2 -r --output-type json --s3-endpoint http://127.0.0.1:8333
            """)

        @Argument(help: "Local directory, http(s) Azure Blob URL or s3:// URL to list.")
        var location: String

        @Flag(name: [.short, .long], help: "List every object below the location, not only the first level (default: off).")
        var recursive = false

        @Flag(name: .customLong("human-readable"), help: "Show sizes in KiB, MiB, GiB (default: bytes).")
        var humanReadable = false

        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Sharding") var sharding: ShardOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func validate() throws {
            if sharding.shard != nil && !recursive { throw ValidationError("--shard lists a part of every object below the location: add -r") }
        }

        func run() async throws {
            let opening = EndpointOpening(bearerTokenFile: auth.bearerTokenFile, connectionCount: 4,
                                          s3Options: s3.given ?? S3EndpointOptions(), azureSignIn: auth.signIn)
            let (text, recursive, humanReadable, json) = (location, recursive, humanReadable, output.outputType == .json)
            do {
                let filter = try filters.pathFilter()
                let shard = try sharding.resolve()
                try await BlockingWork.run {
                    let location = try EndpointLocation(text)
                    let endpoint = try opening.opener()(location)
                    let printer = ListingPrinter(json: json, humanReadable: humanReadable)
                    try printer.list(endpoint, location: location, recursive: recursive, filter: filter, shard: shard)
                }
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error, verbose: output.logLevel == .debug)
            }
        }
    }
}
