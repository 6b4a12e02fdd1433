import Foundation
import Logging

/// Per-request and diagnostic lines on stderr at the chosen level. Never prints queries (a SAS
/// `sig` lives there) or headers (keys and tokens live there): only method, path, operation,
/// status and duration. Thread-safe (swift-log loggers are values over a locked stream).
struct RequestLog: Sendable {
    let level: EmulatorConfiguration.LogLevel
    let logger: Logger

    init(level: EmulatorConfiguration.LogLevel) {
        self.level = level
        var logger = Logger(label: "ferry-emulator", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = switch level {
        case .error: .error
        case .info: .info
        case .debug: .debug
        }
        self.logger = logger
    }

    func request(method: String, path: String, operation: String, status: Int, started: Date) {
        guard level == .debug else { return }
        let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        let outcome = status < 0 ? "dropped" : String(status)
        logger.debug("\(method) \(path) \(operation) → \(outcome) \(milliseconds)ms")
    }

    func debug(_ message: @autoclosure () -> String) {
        guard level == .debug else { return }
        logger.debug("\(message())")
    }

    func info(_ message: String) { logger.info("\(message)") }

    /// A line printed at every level (the issuer's token log, which tests read to see refreshes).
    func always(_ message: String) {
        var text = "\(ISO8601DateFormatter().string(from: Date())) ferry-emulator: \(message)\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
    func error(_ message: String) { logger.error("\(message)") }
}
