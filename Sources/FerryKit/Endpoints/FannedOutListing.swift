import Foundation

/// A store whose tree can be listed as several listings at once (`FannedOutListing`).
protocol SubtreeListingEndpoint: Endpoint {
    /// One level below `prefix` ("" or ending in `/`): its objects and one `.directory` entry for
    /// every deeper level, in the store's order, none left out (not even an empty segment, `/`).
    func listLevel(prefix: String) throws -> any DirectoryListing
    /// Everything below `directory` (ending in `/`), its first page requested at once.
    func listSubtreeStartingNow(_ directory: String) throws -> any ObjectListing
}

/// A whole tree's listing, fetched as several listings at once and yielded as one.
///
/// Why: a flat listing is one chain of page requests, each page's marker naming the next, so a
/// 200,000-name listing costs forty service round trips one after the other, whatever the
/// machine could do meanwhile. Here the top level is listed one level deep, and every directory
/// in it is listed whole, up to `subtreesAhead` of them requested before they are reached.
///
/// Order: a directory's names all start with `dir/`, and nothing outside it sorts between two of
/// them, so its objects are yielded where the store lists the directory; a store that lists in
/// byte order yields this listing in byte order too (`DestinationLookup` checks anyway).
/// When the top level holds one directory and nothing it waits for (`train/` over everything),
/// that directory is fanned out the same way, up to `maximumDepth` levels down.
///
/// Bounded memory: at most `entriesAhead` top-level entries read ahead, and each open subtree's
/// pages (`PagedListing`). Errors: a failed subtree page is retried by the caller like any
/// listing's (`PagedListing` drops a failed prefetch); a read-ahead of the top level that fails
/// is left for the caller's next call, which reads the top level itself and throws.
/// Not thread-safe: one consumer (as `ObjectListing` requires).
struct FannedOutListing: ObjectListing {
    static let subtreesAhead = 6
    static let entriesAhead = 5_000
    static let maximumDepth = 4

    private enum Item {
        case object(ObjectInfo)
        case directory(String)
        case subtree(any ObjectListing)
        case consumed
    }

    private let endpoint: any SubtreeListingEndpoint
    private let prefix: String
    private let depth: Int
    private var level: (any DirectoryListing)?
    private var levelEnded = false
    private var directoriesSeen = 0
    private var ahead: [Item] = []
    private var aheadStart = 0
    private var subtreesQueued = 0
    private var current: (any ObjectListing)?

    init(_ endpoint: any SubtreeListingEndpoint, prefix: String = "", depth: Int = 0) {
        self.endpoint = endpoint
        self.prefix = prefix
        self.depth = depth
    }

    mutating func next() throws -> ObjectInfo? {
        while true {
            if current != nil {
                if let object = try current!.next() { return object }
                current = nil
            }
            try readAhead()
            guard aheadStart < ahead.count else { return nil }
            let item = ahead[aheadStart]
            ahead[aheadStart] = .consumed  // the queue must not keep a finished subtree's pages alive
            aheadStart += 1
            if aheadStart == ahead.count || aheadStart >= Self.entriesAhead {
                ahead.removeFirst(aheadStart)
                aheadStart = 0
            }
            switch item {
            case .object(let object):
                return object
            case .subtree(let listing):
                subtreesQueued -= 1
                current = listing
            case .directory, .consumed:
                preconditionFailure("readAhead opens every directory it queues; consumed items are behind aheadStart")
            }
        }
    }

    /// Reads the top level until `subtreesAhead` directories wait, `entriesAhead` entries are
    /// queued, or the level ended; then opens the directories it found (their first pages go out).
    private mutating func readAhead() throws {
        if level == nil { level = try endpoint.listLevel(prefix: prefix) }
        while !levelEnded, subtreesQueued < Self.subtreesAhead, ahead.count - aheadStart < Self.entriesAhead {
            let entry: ListingEntry?
            do {
                entry = try level!.next()
            } catch {
                if aheadStart == ahead.count { throw error }
                break  // yield what is queued; the next call reads (and throws) again
            }
            switch entry {
            case nil:
                levelEnded = true
            case .object(let object):
                ahead.append(.object(object))
            case .directory(let directory):
                directoriesSeen += 1
                subtreesQueued += 1
                ahead.append(.directory(directory))
            }
        }
        // A level of one directory (and whatever files) fans that directory out in turn.
        let descends = levelEnded && directoriesSeen == 1 && depth + 1 < Self.maximumDepth
        for index in aheadStart..<ahead.count {
            guard case .directory(let directory) = ahead[index] else { continue }
            ahead[index] = .subtree(descends ? FannedOutListing(endpoint, prefix: directory, depth: depth + 1)
                                             : try endpoint.listSubtreeStartingNow(directory))
        }
    }
}

extension Endpoint {
    /// Everything below the root: fanned out over the top level's directories where the store can
    /// (`FannedOutListing`), else one recursive listing. Same objects either way.
    func listTree() throws -> any ObjectListing {
        if let fannable = self as? any SubtreeListingEndpoint { return FannedOutListing(fannable) }
        return try list(prefix: "", recursive: true)
    }
}
