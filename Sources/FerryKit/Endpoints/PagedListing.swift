import Foundation

/// One page of a store's listing: its objects (paths relative to the endpoint root) and the token
/// where the next page starts (nil on the last page).
struct ListingPage: Sendable {
    var objects: [ObjectInfo]
    var nextToken: String?
}

/// Fetches one page of a listing from a store (List Blobs, ListObjectsV2); `token` nil is the
/// first page. One attempt per call: the engine retries. Fetchers hold only immutable values and
/// a thread-safe client, so a page can be fetched on another thread.
protocol ListingPageFetcher: Sendable {
    func fetchPage(after token: String?) throws -> ListingPage
}

/// Streams a paged listing one object at a time, holding at most two pages in memory (the one
/// being consumed and the next, fetched on a thread of its own while this one is consumed, so the
/// service's time and the parsing overlap the caller's work), never the whole listing.
/// Not thread-safe: one consumer (as `ObjectListing` requires).
struct PagedListing<Fetcher: ListingPageFetcher>: ObjectListing {
    private let fetcher: Fetcher
    private var page: [ObjectInfo] = []
    private var nextIndex = 0
    private var nextToken: String?
    private var finished = false
    private var prefetched: PrefetchedPage?

    init(_ fetcher: Fetcher) {
        self.fetcher = fetcher
    }

    mutating func next() throws -> ObjectInfo? {
        while nextIndex >= page.count {
            if finished { return nil }
            // A failed prefetch is dropped, so the caller's retry fetches the page itself.
            let fetched: ListingPage
            if let ahead = prefetched, ahead.token == nextToken {
                prefetched = nil
                fetched = try ahead.wait()
            } else {
                fetched = try fetcher.fetchPage(after: nextToken)
            }
            page = fetched.objects
            nextIndex = 0
            nextToken = fetched.nextToken
            finished = fetched.nextToken == nil
            if let token = nextToken { prefetched = PrefetchedPage(fetcher, token: token) }
        }
        defer { nextIndex += 1 }
        return page[nextIndex]
    }
}

/// One page being fetched on a thread of its own. Thread-safe: the result is written once under
/// `condition` and read after it is set (hence `@unchecked Sendable`).
final class PrefetchedPage: @unchecked Sendable {
    let token: String
    private let condition = NSCondition()
    private var result: Result<ListingPage, any Error>?

    init(_ fetcher: some ListingPageFetcher, token: String) {
        self.token = token
        let thread = Thread { [self] in
            let outcome = Result { try fetcher.fetchPage(after: token) }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "ferry-list-ahead"
        thread.start()
    }

    func wait() throws -> ListingPage {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}

/// Where store names sit relative to an endpoint root (a container or bucket prefix).
struct ListingRoot {
    /// What to strip from each name to get a path relative to the root (`root/`).
    let rootPrefix: String
    /// The service-side prefix: the root prefix joined with the caller's prefix.
    let servicePrefix: String

    init(root: String, prefix: String) {
        rootPrefix = root.isEmpty ? "" : root + "/"
        servicePrefix = rootPrefix + prefix
    }

    /// The path relative to the root; nil for names outside it and for "directory" markers
    /// (names ending in `/`, which have no file name).
    func relativePath(of name: String) -> String? {
        // Bytes, not `hasPrefix`/`dropFirst` on characters: an NFD name must not match an NFC root.
        guard name.utf8.starts(with: rootPrefix.utf8) else { return nil }
        let path = String(decoding: name.utf8.dropFirst(rootPrefix.utf8.count), as: UTF8.self)
        guard !path.isEmpty, path.utf8.last != UInt8(ascii: "/") else { return nil }
        return path
    }
}
