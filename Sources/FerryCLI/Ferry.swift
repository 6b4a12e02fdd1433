import ArgumentParser
import FerryKit

@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Moves datasets between local disks, Azure Blob Storage and S3.",
        discussion: """
        Ferry copies files in parallel blocks, checks every byte with CRC-64, records each job in a \
        database under $FERRY_HOME (default ~/.ferry), and resumes a job that was cut off, even by kill -9.

        Exit codes: 0 all files done; 1 some files failed; 2 cancelled but resumable; 3 authentication \
        or authorization failure; 64 usage error.

        Examples (against the local emulator):
          $ ferry copy ./corpus http://127.0.0.1:10000/devstoreaccount1/datasets --recursive
          $ ferry jobs list
          $ ferry jobs resume 20261124-221500-0a1b2c
        """,
        version: "0.1.0",
        subcommands: [Copy.self, Jobs.self])
}
