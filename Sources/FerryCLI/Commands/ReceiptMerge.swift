import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Receipt {
    /// `ferry receipt merge R1 R2 … --output RECEIPT`: parse, then `ReceiptMerge` does the work.
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merges the receipts of the parts of a split copy into the receipt of the whole tree.",
            discussion: """
            Give the receipts that the parts wrote (each part a disjoint share of one tree, its paths relative \
            to the same root, e.g. the shards of one copy to one destination). Each is checked as `ferry verify` \
            checks a receipt; the entries are merged in path-byte order and a new last line is written. Its root \
            hash equals the one `ferry receipt DEST` gives for the whole tree, so the merged receipt verifies \
            against the destination. A path listed by two receipts is refused: the parts overlapped.

            The output is written next to --output under a temporary name and renamed when complete: a failed \
            merge leaves no file. One receipt is a valid input (a checked copy). Memory stays flat: one entry \
            per input.

            Exit codes: 0 receipt written; 1 an input could not be read or the output written; 64 usage error, \
            a malformed or changed input, or a path in two inputs.

            Examples (two parts of ./corpus in part1/ and part2/, against the local emulator):
              $ DEST=http://127.0.0.1:10000/devstoreaccount1/datasets
              $ ferry copy ./part1/corpus "$DEST" --recursive --receipt p1.jsonl
              $ ferry copy ./part2/corpus "$DEST" --recursive --receipt p2.jsonl
              $ ferry receipt merge p1.jsonl p2.jsonl --output corpus.jsonl
              $ ferry verify corpus.jsonl "$DEST"
            """)

        @Argument(help: ArgumentHelp("Receipts to merge (one or more; each lists a disjoint part of the tree).",
                                     valueName: "receipt"))
        var receipts: [String] = []

        @Option(name: [.customShort("o"), .customLong("output")],
                help: ArgumentHelp("Write the merged receipt to this file; - for standard output (required).", valueName: "file"))
        var outputFile: String

        func validate() throws {
            guard !receipts.isEmpty else { throw ValidationError("give at least one receipt to merge") }
        }

        func run() async throws {
            let (receipts, outputFile) = (receipts, outputFile)
            do {
                let trailer = try await BlockingWork.run { try ReceiptMerge.merge(inputs: receipts, to: outputFile) }
                let destination = outputFile == "-" ? "" : " → \(outputFile)"
                FileHandle.standardError.write(Data(("Merged \(receipts.count) receipt(s): \(trailer.fileCount) file(s), "
                    + "\(ByteCount.format(trailer.totalBytes)), root hash \(trailer.rootHash)\(destination)\n").utf8))
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error)
            }
        }
    }
}
