import ArgumentParser

/// Which listed files a copy takes (file names only, as azcopy matches them).
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("include-pattern"),
            help: "Copy only files whose name matches one of these ';'-separated globs, e.g. '*.parquet;*.json' (default: all).")
    var includePattern: String?

    @Option(name: .customLong("exclude-pattern"),
            help: "Skip files whose name matches one of these ';'-separated globs, e.g. '*.tmp' (default: none).")
    var excludePattern: String?
}
