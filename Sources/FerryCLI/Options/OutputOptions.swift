import ArgumentParser
import FerryKit

extension ProgressReporter.Format: ExpressibleByArgument {}

/// How a command reports.
struct OutputOptions: ParsableArguments {
    enum LogLevel: String, ExpressibleByArgument, CaseIterable { case debug, info, warning, error, none }

    @Option(name: .customLong("output-type"),
            help: "text: a live line on stderr and a summary; json: NDJSON events on stdout only.")
    var outputType: ProgressReporter.Format = .text

    @Option(name: .customLong("log-level"),
            help: "The least severe message shown (debug adds error causes).")
    var logLevel: LogLevel = .info

    var isQuiet: Bool { logLevel == .error || logLevel == .none }
}
