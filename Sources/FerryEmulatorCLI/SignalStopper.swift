import Dispatch
import FerryEmulator
import Foundation

/// Stops the server on SIGTERM or SIGINT (exit 0). The dispatch sources live as long as this
/// object; it is created once by the command and kept until exit.
final class SignalStopper: @unchecked Sendable {
    // @unchecked: `sources` is written once in install() before any signal can fire.
    private let server: EmulatorServer
    private var sources: [DispatchSourceSignal] = []

    init(server: EmulatorServer) { self.server = server }

    func install() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [server] in
                Task { await server.stop() }
            }
            source.resume()
            sources.append(source)
        }
    }
}
