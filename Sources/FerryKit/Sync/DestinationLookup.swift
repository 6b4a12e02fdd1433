import Foundation

/// How a sync finds what the destination holds at each source entry's path, without a request per
/// file. Two ways, one answer:
/// - **Side by side** (`merging`): when both stores list in UTF-8 byte order (a local walk,
///   Azure), the destination's listing is read alongside the source's, like merging two sorted
///   files. Nothing is staged but the objects the source passes by (the deletion candidates), so
///   the destination's pages are fetched and parsed while the source is walked, and no database
///   row is written or read for an object both sides have.
/// - **Staged** (`indexed`): otherwise (S3, whose servers may not list in order; a resumed job
///   whose index an earlier run staged), the whole destination listing is staged in the
///   `DestinationIndex` first and each path is looked up.
///
/// Order is checked, never assumed: if either listing breaks byte order the lookup stages the
/// whole destination listing and goes on with lookups. Decisions made before that can only have
/// been "not at the destination" for an object listed out of place, which copies it again — never
/// a skip of a changed file, and never a delete (deletion compares the index with the job's
/// `files` table, whichever way the index was filled).
///
/// Not thread-safe: the enumerator thread owns it.
final class DestinationLookup {
    private enum Mode {
        case merging
        case indexed
    }

    private let index: DestinationIndex
    private let destination: any Endpoint
    private let retry: RetryPolicy
    private let cancellation: CancellationFlag
    /// Which destination objects the filters take (counted for `--max-delete N%`).
    private let takenByFilters: (DestinationEntry) -> Bool
    private let warn: (String) -> Void
    private var mode: Mode = .indexed
    /// The destination's listing while merging (held here so that `next()` mutates it in place).
    private var listing: (any ObjectListing)?
    /// The next destination object not yet passed (merging); nil when the listing is used up.
    private var head: DestinationEntry?
    private var lastAsked: String?
    private var listedTotal = 0
    private var listedTaken = 0

    /// Opens the lookup for a sync's `destination`; `index` is the job's (reset unless complete).
    init(index: DestinationIndex, destination: any Endpoint, sourceListsInByteOrder: Bool, retry: RetryPolicy,
         cancellation: CancellationFlag, takenByFilters: @escaping (DestinationEntry) -> Bool,
         warn: @escaping (String) -> Void) throws {
        self.index = index
        self.destination = destination
        self.retry = retry
        self.cancellation = cancellation
        self.takenByFilters = takenByFilters
        self.warn = warn
        if try index.isComplete {
            try index.beginLookups()
        } else if sourceListsInByteOrder && destination.capabilities.listsInByteOrder {
            try index.reset()
            listing = try Self.openListing(of: destination, retry: retry, cancellation: cancellation)
            mode = .merging
            try advance()  // a listing out of order from the start leaves `.indexed`, lookups begun
        } else {
            try index.stageListing(of: destination, retry: retry, cancellation: cancellation)
            try index.beginLookups()
        }
    }

    /// What the destination holds at `path`, or nil.
    func entry(at path: String) throws -> DestinationEntry? {
        guard case .merging = mode else { return try index.entry(at: path) }
        if let lastAsked, !Self.less(lastAsked, path) {
            try stageWhole(because: "the source listed '\(path.replacingNULs())' after '\(lastAsked.replacingNULs())'")
            return try index.entry(at: path)
        }
        lastAsked = path
        while let current = head, Self.less(current.path, path) {
            try index.stage(current)  // the source has nothing at this path: a deletion candidate
            try advance()
            guard case .merging = mode else { return try index.entry(at: path) }
        }
        guard let current = head, NameOrder.same(current.path, path) else { return nil }
        try advance()
        return current
    }

    /// After the source listing ended: stages what the source never reached and records that
    /// the index holds every deletion candidate (and, when merged, how many objects were listed).
    func finish() throws {
        switch mode {
        case .indexed:
            try index.endLookups()
        case .merging:
            while let current = head {
                try index.stage(current)
                try advance()
            }
            if case .merging = mode { try index.finishMerge(listed: listedTotal, takenByFilters: listedTaken) }
        }
    }

    /// Moves `head` to the destination listing's next object, checking its order.
    private func advance() throws {
        guard case .merging = mode else { return }
        if cancellation.isCancelled {
            throw FerryError(.cancelled, "cancelled while listing the destination", disposition: .abortJob)
        }
        let previous = head
        let info: ObjectInfo?
        do {
            info = try listing == nil ? nil : retry.run(cancellation: cancellation) { try self.listing!.next() }
        } catch let error as FerryError where error.code == .notFound {
            info = nil  // a missing container or bucket is an empty destination
        }
        guard let info else {
            head = nil
            listing = nil
            return
        }
        let next = DestinationEntry(info, isLocal: !destination.capabilities.isRemote)
        if let previous, !Self.less(previous.path, next.path) {
            head = nil
            try stageWhole(because: "the destination listed '\(next.path.replacingNULs())' after "
                                    + "'\(previous.path.replacingNULs())'")
            return
        }
        head = next
        listedTotal += 1
        if takenByFilters(next) { listedTaken += 1 }
    }

    /// Leaves side-by-side mode for good: stages the whole destination listing again.
    private func stageWhole(because why: String) throws {
        warn("the listings are not in byte order (\(why)); staging the destination's listing instead")
        mode = .indexed
        head = nil
        listing = nil
        try index.finishListing()
        try index.stageListing(of: destination, retry: retry, cancellation: cancellation)
        try index.beginLookups()
    }

    private static func openListing(of destination: any Endpoint, retry: RetryPolicy,
                                    cancellation: CancellationFlag) throws -> (any ObjectListing)? {
        do {
            return try retry.run(cancellation: cancellation) { try destination.listTree() }
        } catch let error as FerryError where error.code == .notFound {
            return nil
        }
    }

    /// Byte order of UTF-8, as both listings promise.
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        NameOrder.precedes(lhs, rhs)
    }
}
