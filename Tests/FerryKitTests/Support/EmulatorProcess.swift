#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A running `ferry-emulator` started by `withEmulator`.
struct RunningEmulator: Sendable {
    /// `http://127.0.0.1:PORT`, as the emulator reported it.
    let url: String
    /// Its state directory (a fresh temporary directory, removed afterwards).
    let location: URL
    let account = "devstoreaccount1"
    /// `http://127.0.0.1:PORT/devstoreaccount1`
    var accountURL: String { "\(url)/\(account)" }
}

/// Why an emulator could not be used. A test that needed it fails with this error: a missing
/// server is a failure, never a skip.
struct EmulatorLaunchError: Error, CustomStringConvertible {
    var description: String
}

/// Launches the built `ferry-emulator` (path from `FERRY_EMULATOR_BIN`, else next to the test
/// bundle in `.build/debug/`) with `--port 0 --location <fresh tmp dir>` plus `arguments`, waits
/// up to 30 s for its `listening on http://HOST:PORT` line, runs `body`, and always terminates the
/// process and removes its directory, whether `body` returns or throws.
func withEmulator<T>(arguments: [String] = [], _ body: (RunningEmulator) throws -> T) throws -> T {
    let binary = try EmulatorProcess.binaryPath()
    let location = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-emulator-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: location, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: location) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["--port", "0", "--location", location.path] + arguments
    let output = Pipe()
    process.standardOutput = output
    let watcher = EmulatorOutputWatcher(output.fileHandleForReading)
    try process.run()
    defer { EmulatorProcess.stop(process) }
    guard let url = watcher.waitForURL(timeoutSeconds: 30) else {
        let state = process.isRunning ? "did not report 'listening on http://HOST:PORT' within 30 s"
                                      : "exited (status \(process.terminationStatus)) without reporting 'listening on http://HOST:PORT'"
        throw EmulatorLaunchError(description: "ferry-emulator (\(binary)) \(state); its output: \(watcher.outputSoFar.prefix(2000))")
    }
    return try body(RunningEmulator(url: url, location: location))
}

enum EmulatorProcess {
    /// SIGTERM (the emulator's clean stop), then SIGKILL if it is still running after 10 s.
    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FERRY_EMULATOR_BIN"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw EmulatorLaunchError(description: "FERRY_EMULATOR_BIN=\(path) is not an executable file")
            }
            return path
        }
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("ferry-emulator").path)
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ferry-emulator").path)
        // Tests/FerryKitTests/Support/EmulatorProcess.swift → package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/ferry-emulator").path)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw EmulatorLaunchError(description: "ferry-emulator not found (looked in \(candidates.joined(separator: ", "))); "
            + "run `swift build --product ferry-emulator` or set FERRY_EMULATOR_BIN")
    }
}

/// Reads the emulator's stdout on a thread of its own until EOF (so the pipe never fills and
/// blocks the emulator), and hands over the first `listening on http://HOST:PORT` URL.
/// Thread-safe: state guarded by `lock`.
final class EmulatorOutputWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var url: String?
    private let found = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                record(String(decoding: data, as: UTF8.self))
            }
            found.signal()  // EOF: the process ended; wake a waiter so it fails fast.
        }.start()
    }

    var outputSoFar: String { lock.withLock { text } }

    func waitForURL(timeoutSeconds: Double) -> String? {
        _ = found.wait(timeout: .now() + timeoutSeconds)
        return lock.withLock { url }
    }

    private func record(_ chunk: String) {
        let newlyFound: Bool = lock.withLock {
            text += chunk
            guard url == nil, let range = text.range(of: "listening on http://") else { return false }
            let rest = text[range.upperBound...]
            guard let lineEnd = rest.firstIndex(where: { $0.isNewline }) else { return false }
            url = "http://" + rest[..<lineEnd].trimmingCharacters(in: .whitespaces)
            return true
        }
        if newlyFound { found.signal() }
    }
}
