import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    /// `ferry receipt`: a group whose default subcommand is `write`, so `ferry receipt TARGET` keeps
    /// working as it did before `merge` joined it (a TARGET named `write` or `merge` is given as `./merge`).
    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes a receipt of what a location holds now, or merges the receipts of a split copy into one.",
            usage: """
            ferry receipt <target> [--output <file>] [--read] [<options>]
            ferry receipt merge <receipt> <receipt> ... --output <file>
            """,
            discussion: """
            A receipt is JSON Lines: one line per file (path, size, CRC-64) sorted by path bytes, then a line \
            with a root hash over path, size and CRC-64: the same files on two machines give the same last line. \
            `ferry receipt TARGET` is `ferry receipt write TARGET`; see `ferry receipt write --help`.

            `ferry receipt merge` joins the receipts that the parts of a split copy wrote (disjoint parts of one \
            tree, paths relative to the same root) into the receipt one machine would have written.

            Examples:
              $ ferry receipt ./corpus --output corpus.receipt.jsonl
              $ ferry receipt merge part1.jsonl part2.jsonl part3.jsonl --output merged.jsonl
            """,
            subcommands: [Write.self, Merge.self],
            defaultSubcommand: Write.self)
    }
}

/// Checks shared by `ferry receipt` and `ferry verify` on their TARGET.
enum ReceiptTargets {
    /// A local TARGET must be a directory (a remote prefix that holds nothing is simply empty).
    static func requireDirectory(_ location: EndpointLocation) throws {
        guard location.kind == .local else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.original, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FerryError(.notFound, "'\(location.redacted)' is not a directory", disposition: .abortJob)
        }
    }
}
