#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Dispatch
import Foundation
import FerryKit

/// Runs a prepared job with progress output and Ctrl-C handling, and returns its exit code.
/// SIGINT/SIGTERM stop handing out work; in-flight requests finish; the job is left resumable
/// (exit 2). A second signal exits at once (the manifest is still consistent: see CONCURRENCY.md).
enum JobRun {
    static func execute(setup: JobSetup, store: SQLiteManifestStore, options: FerryKit.TransferOptions,
                        output: OutputOptions) async -> ExitCode {
        let reporter = ProgressReporter(format: output.outputType, jobID: store.job.id, quiet: output.isQuiet)
        let cancellation = CancellationFlag()
        let signalSources = installSignalHandlers(cancellation)
        let engine = setup.makeEngine(store: store, options: options, events: reporter, cancellation: cancellation)
        if options.sync?.deletion == .prompt { engine.approveDeletions = DeletionPrompt.ask }
        reporter.start(source: setup.spec.source, destination: setup.spec.destination, progress: engine.progress)
        let summary = await engine.runOnOwnThread()
        reporter.finish(summary)
        store.close()
        for source in signalSources { source.cancel() }
        return CommandFailure.exitCode(for: summary, verbose: output.logLevel == .debug)
    }

    private static func installSignalHandlers(_ cancellation: CancellationFlag) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if cancellation.isCancelled { _exit(2) }
                cancellation.cancel()
                FileHandle.standardError.write(Data("\nCancelling: finishing requests in flight (again to quit now)…\n".utf8))
            }
            source.resume()
            return source
        }
    }
}
