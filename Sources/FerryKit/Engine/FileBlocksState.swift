/// The lifecycle of one multi-block file, as a value: events in (a block handed out,
/// acknowledged, failed), actions out (commit once, or abort once). No I/O; tested alone.
///
/// Rules it keeps (CONCURRENCY.md): blocks are handed out in index order; the file is committed
/// only when every block is acknowledged and none failed; after a failure nothing more is handed
/// out, and the abort is issued only when no block is still in flight (so it never races a stage).
public struct FileBlocksState: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case none
        case commit
        case abort(FerryError.Code)
    }

    public let blockCount: Int
    /// Indices to hand out, ascending: the blocks not yet acknowledged, or every block when the
    /// acknowledged ones must be read again for an in-order MD5.
    private let queue: [Int]
    private var queuePosition = 0
    public private(set) var crcs: [UInt64?]
    /// Blocks the destination acknowledged in an earlier run (never staged again).
    public let previouslyDone: Set<Int>
    public private(set) var outstanding = 0
    public private(set) var failure: FerryError.Code?
    public private(set) var finished = false

    public init(blockCount: Int, done: [Int: UInt64], rereadDone: Bool) {
        self.blockCount = blockCount
        var crcs = [UInt64?](repeating: nil, count: blockCount)
        for (index, crc) in done where index >= 0 && index < blockCount { crcs[index] = crc }
        self.crcs = crcs
        previouslyDone = Set(done.keys.filter { $0 >= 0 && $0 < blockCount })
        queue = (0..<blockCount).filter { rereadDone || crcs[$0] == nil }
    }

    /// Before any hand-out: everything was acknowledged in an earlier run → commit now.
    public mutating func start() -> Action {
        if queue.isEmpty && !finished && crcs.allSatisfy({ $0 != nil }) {
            finished = true
            return .commit
        }
        return .none
    }

    public var hasWorkToHandOut: Bool { failure == nil && !finished && queuePosition < queue.count }

    /// The next block index to work on, or nil.
    public mutating func handOut() -> Int? {
        guard hasWorkToHandOut else { return nil }
        let index = queue[queuePosition]
        queuePosition += 1
        outstanding += 1
        return index
    }

    public mutating func acknowledged(_ index: Int, crc64: UInt64) -> Action {
        outstanding -= 1
        crcs[index] = crc64
        return settle()
    }

    public mutating func failed(_ index: Int, code: FerryError.Code) -> Action {
        outstanding -= 1
        if failure == nil { failure = code }
        return settle()
    }

    /// A block handed out but never worked on (the job is stopping): it stays unacknowledged.
    public mutating func returned(_ index: Int) -> Action {
        outstanding -= 1
        return settle()
    }

    private mutating func settle() -> Action {
        guard !finished, outstanding == 0 else { return .none }
        if let failure {
            finished = true
            return .abort(failure)
        }
        if crcs.allSatisfy({ $0 != nil }) {
            finished = true
            return .commit
        }
        return .none
    }
}
