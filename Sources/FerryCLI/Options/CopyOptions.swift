import ArgumentParser
import FerryKit

extension OverwritePolicy: ExpressibleByArgument {}

/// What only `ferry copy` decides: how deep it goes and what it does with existing files.
struct CopyOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Copy directories and everything below them (default: off).")
    var recursive = false

    @Option(help: "Whether to replace files that already exist at the destination.")
    var overwrite: OverwritePolicy = .always
}
