import Foundation

/// A point-in-time view of a job's progress. Value type.
public struct ProgressSnapshot: Sendable, Hashable {
    public var filesTotal = 0, filesDone = 0, filesFailed = 0, filesSkipped = 0
    public var bytesTotal: Int64 = 0, bytesDone: Int64 = 0
    /// Part of `bytesDone` that earlier runs already sent (blocks the manifest records, or found
    /// staged at the destination); not this run's work.
    public var bytesResumed: Int64 = 0
    /// Destination objects a sync deleted (the source no longer has them).
    public var filesDeleted = 0
    /// A sync's progress (its events report `filesDeleted`, even when 0).
    public var isSync = false
    public var scanComplete = false
    public var elapsedSeconds = 0.0
    /// Requests the services refused for load (503 ServerBusy/SlowDown, 429, timeouts).
    public var requestsRefused = 0
    /// Times a governor cut its concurrency or pace for refusals (all sides).
    public var slowdowns = 0
    /// Requests in flight the busiest governed service allows now (`RequestGovernor`); nil when
    /// nothing is governed (local to local, `--fixed-concurrency`).
    public var concurrency: Int?

    public init() {}

    public var filesFinished: Int { filesDone + filesFailed + filesSkipped }
    /// Bytes this run moved per second.
    public var bytesPerSecond: Double {
        elapsedSeconds > 0 ? Double(bytesDone - bytesResumed) / elapsedSeconds : 0
    }
    /// Bytes done over bytes expected (skipped and failed files leave the expectation).
    public var percent: Double {
        bytesTotal > 0 ? min(100, Double(bytesDone) * 100 / Double(bytesTotal)) : (scanComplete ? 100 : 0)
    }
}

/// Live counters the engine updates and reporters read. Thread-safe (lock-guarded, hence
/// `@unchecked Sendable`).
public final class JobProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshotValue = ProgressSnapshot()
    private let started = ProcessInfo.processInfo.systemUptime
    private var sideStates: [Int: GovernorState] = [:]

    public init() {}

    public func snapshot() -> ProgressSnapshot {
        lock.lock()
        defer { lock.unlock() }
        var copy = snapshotValue
        copy.elapsedSeconds = ProcessInfo.processInfo.systemUptime - started
        return copy
    }

    func update(_ body: (inout ProgressSnapshot) -> Void) {
        lock.lock()
        body(&snapshotValue)
        lock.unlock()
    }

    func fileEnumerated(sizeBytes: Int64) { update { $0.filesTotal += 1; $0.bytesTotal += sizeBytes } }
    /// A batch of listed files at once, `skipped` of them (with their bytes) already decided.
    func filesEnumerated(count: Int, sizeBytes: Int64, skipped: Int, skippedBytes: Int64) {
        update {
            $0.filesTotal += count
            $0.bytesTotal += sizeBytes - skippedBytes
            $0.filesSkipped += skipped
        }
    }
    func bytesMoved(_ count: Int64) { update { $0.bytesDone += count } }
    func bytesResumed(_ count: Int64) { update { $0.bytesDone += count; $0.bytesResumed += count } }
    func fileDone() { update { $0.filesDone += 1 } }
    func fileSkipped(sizeBytes: Int64) { update { $0.filesSkipped += 1; $0.bytesTotal -= sizeBytes } }
    /// A failed file leaves the byte expectation, and any bytes it moved leave the done count.
    func fileFailed(sizeBytes: Int64, movedBytes: Int64) {
        update { $0.filesFailed += 1; $0.bytesTotal -= sizeBytes; $0.bytesDone -= movedBytes }
    }
    func markSync() { update { $0.isSync = true } }
    func fileDeleted() { update { $0.filesDeleted += 1 } }
    func scanFinished() { update { $0.scanComplete = true } }
    /// A governed service's limit or refusal count changed; `side` is 0 (source) or 1 (destination).
    func governorChanged(side: Int, _ state: GovernorState) {
        update {
            sideStates[side] = state
            $0.concurrency = sideStates.values.map(\.concurrency).min()
            $0.requestsRefused = sideStates.values.reduce(0) { $0 + $1.refusals }
            $0.slowdowns = sideStates.values.reduce(0) { $0 + $1.slowdowns }
        }
    }
}
