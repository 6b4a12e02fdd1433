#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Shows a job as it runs: on a terminal one live line on stderr (percent, bytes, files,
/// throughput, ETA); with `--output-type json` NDJSON events on stdout only (`start`, `progress`
/// every 2 s, `fileFailed`, `warning`, `end`). A final summary either way.
///
/// Thread-safe: workers call `fileFailed`/`warning`; a ticker thread prints progress; all output
/// goes through `lock` (hence `@unchecked Sendable`).
public final class ProgressReporter: TransferEvents, @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    let format: Format
    let jobID: String
    private let showsLiveLine: Bool
    private let quiet: Bool
    private let lock = NSLock()
    private var progress: JobProgress?
    /// The destination as `start` named it (redacted), for `deleted` events.
    private var destinationRoot = ""
    private var sourceRoot = ""
    private var ticking = false
    private var liveLineShown = false
    private var lastSample: (seconds: Double, bytes: Int64) = (0, 0)
    private var recentBytesPerSecond: Double = 0

    /// `quiet`: `--log-level error|none` hides warnings in text mode.
    public init(format: Format, jobID: String, quiet: Bool = false) {
        self.format = format
        self.jobID = jobID
        self.quiet = quiet
        showsLiveLine = format == .text && isatty(STDERR_FILENO) == 1
    }

    public func start(source: String, destination: String, progress: JobProgress) {
        lock.lock()
        self.progress = progress
        destinationRoot = destination
        sourceRoot = source
        ticking = true
        lock.unlock()
        if format == .json {
            var event = OutputEvent(type: "start", jobID: jobID)
            event.source = source
            event.destination = destination
            emit(event)
        } else {
            writeStderr("Job \(jobID): \(source) → \(destination)\n")
        }
        let interval = format == .json ? 2.0 : 0.5
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                lock.lock()
                let running = ticking
                lock.unlock()
                guard running else { return }
                tick()
            }
        }
        thread.name = "ferry-progress"
        thread.start()
    }

    public func fileFailed(_ plan: FilePlan, error: FerryError) {
        // A single-file copy's one plan has empty relative paths: name the job's source instead.
        let named = plan.sourcePath.isEmpty && plan.destinationPath.isEmpty ? lock.withLock { sourceRoot } : nil
        if format == .json {
            var event = OutputEvent(type: "fileFailed", jobID: jobID)
            event.path = named ?? plan.sourcePath
            event.code = error.code.rawValue
            event.message = error.message
            emit(event)
        } else {
            let path = PrintableName.of(named ?? (plan.sourcePath.isEmpty ? plan.destinationPath : plan.sourcePath))
            writeStderr("failed: \(path): \(PrintableName.of(error.message))\n")
        }
    }

    public func warning(_ message: String) {
        if format == .json {
            var event = OutputEvent(type: "warning", jobID: jobID)
            event.message = message
            emit(event)
        } else if !quiet {
            writeStderr("warning: \(message)\n")
        }
    }

    public func shardChosen(_ spec: ShardSpec, shares: ShardSelection.Shares) {
        if format == .json {
            var event = OutputEvent(type: "shard", jobID: jobID)
            event.shard = OutputEvent.ShardShare(spec: spec, shares: shares)
            emit(event)
        } else if !quiet {
            writeStderr("Shard \(spec): \(shares.files) of \(shares.totalFiles) file(s), \(ByteCount.format(shares.bytes)) of "
                        + "\(ByteCount.format(shares.totalBytes)) (the \(spec.count) shards hold "
                        + "\(ByteCount.format(shares.smallestShardBytes))–\(ByteCount.format(shares.largestShardBytes)))\n")
        }
    }

    public func objectDeleted(_ path: String) {
        guard format == .json else { return }
        var event = OutputEvent(type: "deleted", jobID: jobID)
        lock.lock()
        event.path = DisplayPath.join(destinationRoot, path)
        lock.unlock()
        emit(event)
    }

    /// Stops the ticker and prints the summary (text on stdout, or the `end` event).
    public func finish(_ summary: JobSummary) {
        lock.lock()
        ticking = false
        lock.unlock()
        let progress = summary.progress
        if format == .json {
            var event = OutputEvent(type: "end", jobID: jobID)
            event.include(progress)
            event.state = summary.state.rawValue
            event.code = summary.fatalError?.code.rawValue
            event.message = summary.fatalError?.message
            emit(event)
            return
        }
        clearLiveLine()
        let rate = progress.bytesPerSecond
        let resumed = progress.bytesResumed > 0 ? " (\(ByteCount.format(progress.bytesResumed)) already sent by earlier runs)" : ""
        var lines = [
            "Job \(jobID) \(summary.state.rawValue) in \(ByteCount.duration(progress.elapsedSeconds))",
            "Files: \(progress.filesDone) done, \(progress.filesFailed) failed, \(progress.filesSkipped) skipped, "
                + "\(progress.filesTotal) total",
            "Bytes: \(ByteCount.format(progress.bytesDone)) at \(ByteCount.rate(bytesPerSecond: rate))\(resumed)",
        ]
        if progress.requestsRefused > 0, let concurrency = progress.concurrency {
            lines.append("Throttled: the service refused \(progress.requestsRefused) request(s) for load; "
                         + "Ferry slowed down \(progress.slowdowns) time(s) and ended at \(concurrency) in flight")
        }
        if progress.filesDeleted > 0 { lines.append("Deleted: \(progress.filesDeleted) destination object(s) the source no longer has") }
        if summary.state == .cancelled || summary.state == .failed || summary.state == .completedWithFailures {
            lines.append("Resume with: ferry jobs resume \(jobID)")
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    private func tick() {
        guard let snapshot = currentSnapshot() else { return }
        if format == .json {
            var event = OutputEvent(type: "progress", jobID: jobID)
            event.include(snapshot)
            emit(event)
        } else if showsLiveLine {
            lock.lock()
            let sent = snapshot.bytesDone - snapshot.bytesResumed  // resumed bytes are not speed
            let seconds = snapshot.elapsedSeconds - lastSample.seconds
            if seconds > 0 {
                let instant = Double(sent - lastSample.bytes) / seconds
                recentBytesPerSecond = recentBytesPerSecond == 0 ? instant : 0.7 * recentBytesPerSecond + 0.3 * instant
            }
            lastSample = (snapshot.elapsedSeconds, sent)
            let rate = recentBytesPerSecond
            lock.unlock()
            let remaining = Double(snapshot.bytesTotal - snapshot.bytesDone)
            let eta = snapshot.scanComplete && rate > 0 ? ByteCount.duration(remaining / rate) : "--"
            let line = String(format: "%5.1f%%", snapshot.percent)
                + ", \(ByteCount.format(snapshot.bytesDone)) of \(ByteCount.format(snapshot.bytesTotal))"
                + ", \(snapshot.filesDone) done, \(snapshot.filesFailed) failed, \(snapshot.filesTotal) total"
                + (snapshot.scanComplete ? "" : " (scanning…)")
                + ", \(ByteCount.rate(bytesPerSecond: rate)), ETA \(eta)"
                + (snapshot.requestsRefused > 0 ? ", \(snapshot.requestsRefused) refused, \(snapshot.concurrency ?? 0) in flight" : "")
            writeStderr("\r\u{1B}[K" + line)
            lock.lock()
            liveLineShown = true
            lock.unlock()
        }
    }

    private func currentSnapshot() -> ProgressSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        return progress?.snapshot()
    }

    private func clearLiveLine() {
        lock.lock()
        let shown = liveLineShown
        lock.unlock()
        if shown { writeStderr("\r\u{1B}[K") }
    }

    func emit(_ event: OutputEvent) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data((event.jsonLine() + "\n").utf8))
    }

    private func writeStderr(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if liveLineShown && !text.hasPrefix("\r") {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
