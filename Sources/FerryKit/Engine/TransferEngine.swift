import Foundation

/// What a finished (or stopped) job came to. Value type.
public struct JobSummary: Sendable {
    public var jobID: String
    public var state: JobState
    public var progress: ProgressSnapshot
    /// The error that stopped the job, if one did (authentication, disk full, manifest).
    public var fatalError: FerryError?
}

/// Receives per-file events as they happen (for `fileFailed` output). Called from worker
/// threads; implementations are thread-safe.
public protocol TransferEvents: Sendable {
    func fileFailed(_ plan: FilePlan, error: FerryError)
    func warning(_ message: String)
    /// A sync deleted `path` (relative to the destination root). Default: nothing.
    func objectDeleted(_ path: String)
    /// `--shard`: the split is made (or found made by an earlier run). Default: nothing.
    func shardChosen(_ spec: ShardSpec, shares: ShardSelection.Shares)
}

extension TransferEvents {
    public func objectDeleted(_ path: String) {}
    public func shardChosen(_ spec: ShardSpec, shares: ShardSelection.Shares) {}
}

/// Runs one job: an enumerator thread feeds file plans (and the manifest), a bounded pool of
/// worker threads reads, checksums, stages and commits, and the manifest records each step only
/// after it happened. It never asks which backend an endpoint is.
///
/// Concurrency: `run()` blocks its caller (a thread of ours, never the cooperative pool; use
/// `runOnOwnThread()` from async code) and spawns its own threads, joined before it returns.
/// Shared state is the lock-guarded `fatalError`; everything else is in thread-safe parts
/// (scheduler, manifest, progress, meters). Hence `@unchecked Sendable`.
public final class TransferEngine: @unchecked Sendable {
    let source: any Endpoint
    let destination: any Endpoint
    let store: any ManifestStore
    let planner: TransferPlanner
    let options: TransferOptions
    let resuming: Bool
    let events: (any TransferEvents)?
    let retry: RetryPolicy
    let cancellation: CancellationFlag
    public let progress = JobProgress()
    /// The job's one throttle: it meters the remote side (the destination if both or neither are).
    public let meter: TokenBucketMeter
    let sourceMeter: any TransferMeter
    let destinationMeter: any TransferMeter
    let workerCount: Int
    let scheduler: TransferScheduler
    /// Learn each remote service's limit from its refusals (nil: a local side, or
    /// `--fixed-concurrency`). One per side: a throttled source must not slow the destination.
    let sourceGovernor: RequestGovernor?
    let destinationGovernor: RequestGovernor?
    /// A sync's destination index database (`DestinationIndex`) and the job database it is
    /// checked against; nil for a copy.
    let destinationIndexPath: String?
    let jobDatabasePath: String?
    /// Asked once before a sync deletes (`--delete-destination prompt`): may `count` objects go?
    /// Set before `run()`. Nil: deletions need no approval.
    public var approveDeletions: (@Sendable (_ count: Int) -> Bool)?
    private let lock = NSLock()
    private var fatal: FerryError?

    public init(source: any Endpoint, destination: any Endpoint, store: any ManifestStore, planner: TransferPlanner,
                options: TransferOptions, resuming: Bool, events: (any TransferEvents)? = nil,
                retry: RetryPolicy = RetryPolicy(), cancellation: CancellationFlag = CancellationFlag(),
                jobDatabasePath: String? = nil) {
        self.source = source
        self.destination = destination
        self.store = store
        self.planner = planner
        self.options = options
        self.resuming = resuming
        self.events = events
        self.retry = retry
        self.cancellation = cancellation
        self.jobDatabasePath = jobDatabasePath
        if options.sync != nil { progress.markSync() }
        destinationIndexPath = jobDatabasePath.map(FerryHome.destinationIndexPath(jobDatabase:))
        meter = TokenBucketMeter(megabitsPerSecond: options.capMbps, cancellation: cancellation)
        let meterSource = source.capabilities.isRemote && !destination.capabilities.isRemote
        sourceMeter = meterSource ? meter : UnmeteredTransfer()
        destinationMeter = meterSource ? UnmeteredTransfer() : meter
        let remote = source.capabilities.isRemote || destination.capabilities.isRemote
        workerCount = max(1, options.concurrency
            ?? TransferOptions.defaultConcurrency(processorCount: ProcessInfo.processInfo.activeProcessorCount, remote: remote))
        let adapts = options.fixedConcurrency != true
        let jobProgress = progress
        func governor(side: Int, remote: Bool, ceiling: Int) -> RequestGovernor? {
            guard adapts && remote else { return nil }
            let governor = RequestGovernor(ceiling: ceiling, changed: { jobProgress.governorChanged(side: side, $0) })
            jobProgress.governorChanged(side: side, governor.state)
            return governor
        }
        sourceGovernor = governor(side: 0, remote: source.capabilities.isRemote, ceiling: workerCount)
        destinationGovernor = governor(side: 1, remote: destination.capabilities.isRemote, ceiling: workerCount)
        scheduler = TransferScheduler(memoryBudgetBytes: options.memoryBudgetBytes, maximumActiveFiles: workerCount,
                                      streamsWholeFiles: source is any StreamingEndpoint && destination is any PositionalWritingEndpoint)
    }

    /// Runs the job to its end (or until cancelled or stopped by a fatal error). Blocking.
    public func run() -> JobSummary {
        store.setJobState(.running)
        guard prepareDestination() else { return finish() }
        let group = DispatchGroup()
        startThread(named: "ferry-enumerator", group: group) { self.enumerate() }
        for index in 0..<workerCount {
            startThread(named: "ferry-worker-\(index)", group: group) { self.work() }
        }
        let jobEnded = CancellationFlag()
        startCancellationWatcher(until: jobEnded)
        group.wait()
        jobEnded.cancel()
        if options.sync != nil { deleteWhatTheSourceNoLongerHas() }
        return finish()
    }

    /// `run()` on a thread of its own, for async callers (the CLI).
    public func runOnOwnThread() async -> JobSummary {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run()) }
            thread.name = "ferry-job"
            thread.start()
        }
    }

    /// A request to the source, retried and governed.
    func atSource<T>(_ body: () throws -> T) throws -> T {
        try retry.run(cancellation: cancellation, governor: sourceGovernor, body)
    }

    /// A request to the destination, retried and governed.
    func atDestination<T>(_ body: () throws -> T) throws -> T {
        try retry.run(cancellation: cancellation, governor: destinationGovernor, body)
    }

    /// Stops the job for good: nothing more is handed out. Called for `.abortJob` errors.
    func stopJob(_ error: FerryError) {
        lock.lock()
        if fatal == nil && error.code != .cancelled { fatal = error }
        lock.unlock()
        scheduler.stop()
    }

    var fatalError: FerryError? {
        lock.lock()
        defer { lock.unlock() }
        return fatal
    }

    private func finish() -> JobSummary {
        let snapshot = progress.snapshot()
        let state: JobState
        if fatalError != nil {
            state = .failed
        } else if cancellation.isCancelled || !snapshot.scanComplete {
            state = .cancelled
        } else {
            state = snapshot.filesFailed > 0 ? .completedWithFailures : .completed
        }
        store.setJobState(state)
        // A finished sync will not resume: its staged destination listing has served its purpose.
        if state == .completed && fatalError == nil, let index = destinationIndexPath {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: index + suffix) }
        }
        if state == .completed && fatalError == nil { removeShardSelection() }
        var fatal = fatalError
        do { try store.flush() } catch let error as FerryError { fatal = fatal ?? error } catch {}
        return JobSummary(jobID: store.job.id, state: fatal != nil ? .failed : state, progress: snapshot, fatalError: fatal)
    }

    private func startThread(named name: String, group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Turns a cancellation request into a scheduler stop (polled: signals only set a flag).
    private func startCancellationWatcher(until jobEnded: CancellationFlag) {
        let thread = Thread { [self] in
            while !jobEnded.isCancelled {
                if cancellation.isCancelled {
                    scheduler.stop()
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        thread.name = "ferry-cancel-watch"
        thread.start()
    }
}
