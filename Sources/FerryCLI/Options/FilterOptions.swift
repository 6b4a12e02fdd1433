import ArgumentParser
import Foundation
import FerryKit

/// Which paths a command takes (`ferry copy`, `sync`, `ls`, `rm`). Paths are relative to the
/// source root and compared as bytes; every rule given must take a path.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("include-pattern"),
            help: "Take only paths matching one of these ';'-separated globs: without '/' a glob matches the file name ('*.parquet'), with '/' the relative path, where '**' crosses directories ('train/**/*.json') (default: all).")
    var includePattern: String?

    @Option(name: .customLong("exclude-pattern"),
            help: "Leave out paths matching one of these ';'-separated globs, e.g. '*.tmp;cache/**' (a directory matched as 'DIR/**' is not walked; default: none).")
    var excludePattern: String?

    @Option(name: .customLong("include-path"),
            help: "Take only paths under one of these ';'-separated relative prefixes, e.g. 'train;val/images' (default: all).")
    var includePath: String?

    @Option(name: .customLong("exclude-path"),
            help: "Leave out paths under these ';'-separated relative prefixes; such directories are not walked (default: none).")
    var excludePath: String?

    @Option(name: .customLong("list-of-files"),
            help: ArgumentHelp("Take only the relative paths listed in this file, one per line; '-' reads standard input (default: no list).",
                               valueName: "file"))
    var listOfFiles: String?

    @Option(name: .customLong("include-after"),
            help: ArgumentHelp("Take only files modified at or after this ISO 8601 time, e.g. 2026-11-01T00:00:00Z (default: any time).",
                               valueName: "time"))
    var includeAfter: String?

    @Option(name: .customLong("include-before"),
            help: ArgumentHelp("Take only files modified at or before this ISO 8601 time (default: any time).", valueName: "time"))
    var includeBefore: String?

    func validate() throws {
        for (flag, text) in [("--include-after", includeAfter), ("--include-before", includeBefore)] {
            if let text, Self.parseTime(text) == nil {
                throw ValidationError("\(flag) '\(text)' is not an ISO 8601 time such as 2026-11-01 or 2026-11-01T08:00:00Z")
            }
        }
    }

    /// Puts the filters into the job's options (reading `--list-of-files` now, once).
    func apply(to options: inout FerryKit.TransferOptions) throws {
        options.includePattern = includePattern
        options.excludePattern = excludePattern
        options.includePath = includePath
        options.excludePath = excludePath
        options.includeAfter = includeAfter.flatMap(Self.parseTime)
        options.includeBefore = includeBefore.flatMap(Self.parseTime)
        if let listOfFiles { options.listedPaths = try Self.readList(listOfFiles) }
    }

    /// The filter alone, for commands without a job (`ls`, `rm`).
    func pathFilter() throws -> PathFilter {
        var options = FerryKit.TransferOptions()
        try apply(to: &options)
        return options.filter
    }

    /// `2026-11-01`, `2026-11-01T08:00:00Z`, with fractional seconds or an offset; a date alone is
    /// midnight UTC.
    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
                                                      [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// One relative path per line; blank lines and a trailing '\r' are ignored, a leading '/' dropped.
    static func readList(_ path: String) throws -> [String] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw FerryError(.usage, "cannot read --list-of-files '\(path)'", disposition: .abortJob)
            }
            data = contents
        }
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).compactMap { line in
            var bytes = line[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            while bytes.first == UInt8(ascii: "/") { bytes = bytes.dropFirst() }
            return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
        }
    }
}
