import Foundation

/// Runs blocking work (endpoint calls, SQLite, file I/O) on a thread of its own and awaits it, so
/// async callers (the CLI's commands) never block Swift's cooperative pool. Stateless.
public enum BlockingWork {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "ferry-blocking"
            thread.start()
        }
    }
}
