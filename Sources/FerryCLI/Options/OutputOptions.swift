import ArgumentParser
import FerryKit

extension ProgressReporter.Format: ExpressibleByArgument {}

/// How a command reports.
struct OutputOptions: ParsableArguments {
    enum LogLevel: String, ExpressibleByArgument, CaseIterable { case debug, info, warning, error, none }

    @Option(name: .customLong("output-type"),
            help: "text (a live line on stderr and a summary) or json (NDJSON events on stdout) (default: text).")
    var outputType: ProgressReporter.Format = .text

    @Option(name: .customLong("log-level"),
            help: "Least severe message shown: debug, info, warning, error or none (default: info).")
    var logLevel: LogLevel = .info

    var isQuiet: Bool { logLevel == .error || logLevel == .none }
}
