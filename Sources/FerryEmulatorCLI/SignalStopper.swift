import FerryEmulator
import Foundation
import Synchronization

/// The write end of the self-pipe the signal handler writes to (set once before the handler is
/// installed; only read afterwards, from the async-signal-safe handler).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Stops the server on SIGTERM or SIGINT (exit 0). A plain `sigaction` handler writes one byte to
/// a pipe (async-signal-safe, works whichever thread the kernel picks); a watcher thread reads it
/// and stops the server. Installed before the server starts, so a signal at any moment ends in a
/// clean stop. Thread-safe: the server and the "stop requested" flag sit behind a `Mutex`.
final class SignalStopper: Sendable {
    private struct State {
        var server: EmulatorServer?
        var stopRequested = false
    }

    private let state = Mutex(State())

    func install() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        for signalNumber in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
        let watcher = Thread { [self] in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            requestStop()
        }
        watcher.name = "ferry-emulator signals"
        watcher.start()
    }

    /// Hands over the started server; stops it at once if a signal already came.
    func attach(_ server: EmulatorServer) {
        let stopNow = state.withLock { state -> Bool in
            state.server = server
            return state.stopRequested
        }
        if stopNow { Task { await server.stop() } }
    }

    private func requestStop() {
        let server = state.withLock { state -> EmulatorServer? in
            state.stopRequested = true
            return state.server
        }
        if let server { Task { await server.stop() } }
    }
}
