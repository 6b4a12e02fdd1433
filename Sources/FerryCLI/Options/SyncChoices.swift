import ArgumentParser
import FerryKit

extension SyncOptions.Deletion: ExpressibleByArgument {}

/// What only `ferry sync` decides: how changes are found and whether the destination is pruned.
struct SyncChoices: ParsableArguments {
    @Option(name: .customLong("delete-destination"),
            help: "Delete destination objects the source no longer has, after the whole source was listed and every file succeeded; prompt asks once with the count (default: false).")
    var deleteDestination: SyncOptions.Deletion = .never

    @Option(name: .customLong("max-delete"),
            help: ArgumentHelp("Stop with exit code 4, deleting nothing, if more than N objects (or N% of the destination) would be deleted (default: no limit).",
                               valueName: "N|N%"))
    var maxDelete: String?

    @Flag(name: .customLong("compare-hash"),
          help: "Decide by content (CRC-64, else MD5; local bytes are read) rather than by size and modification time; catches same-size edits that kept their time (default: off).")
    var compareHash = false

    /// `azcopy sync` and scripts pass it; a sync is always recursive.
    @Flag(name: .shortAndLong, help: .hidden)
    var recursive = false

    func validate() throws {
        if let maxDelete, SyncOptions.DeleteLimit(maxDelete) == nil {
            throw ValidationError("--max-delete takes a count (250) or a percentage (5%), not '\(maxDelete)'")
        }
    }

    var libraryOptions: SyncOptions {
        SyncOptions(deletion: deleteDestination, maximumDeletes: maxDelete.flatMap(SyncOptions.DeleteLimit.init),
                    comparesHash: compareHash)
    }
}
