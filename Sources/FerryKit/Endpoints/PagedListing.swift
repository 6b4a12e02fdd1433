import Foundation

/// One page of a store's listing: its objects (paths relative to the endpoint root) and the token
/// where the next page starts (nil on the last page).
struct ListingPage: Sendable {
    var objects: [ObjectInfo]
    var nextToken: String?
}

/// What a page's answer says of the next page, read before the page is parsed (if it can be).
enum PeekedToken: Sendable, Equatable {
    case unknown
    case last
    case next(String)
}

/// A page whose answer is in but not parsed yet: `nextToken` lets the next request go out while
/// this page is parsed (the service's time and the parse overlap instead of adding up).
struct UnparsedListingPage: Sendable {
    var nextToken: PeekedToken
    var parse: @Sendable () throws -> ListingPage
}

/// Fetches one page of a listing from a store (List Blobs, ListObjectsV2); `token` nil is the
/// first page. One attempt per call: the engine retries. Fetchers hold only immutable values and
/// a thread-safe client, so a page can be fetched on another thread.
protocol ListingPageFetcher: Sendable {
    func fetchPage(after token: String?) throws -> ListingPage
    /// The answer before it is parsed; the default parses first (nothing to overlap).
    func fetchUnparsed(after token: String?) throws -> UnparsedListingPage
}

extension ListingPageFetcher {
    func fetchUnparsed(after token: String?) throws -> UnparsedListingPage {
        let page = try fetchPage(after: token)
        return UnparsedListingPage(nextToken: page.nextToken.map { .next($0) } ?? .last, parse: { page })
    }
}

/// Streams a paged listing one object at a time, in bounded memory: the page being consumed and
/// at most `PrefetchWindow.pagesAhead` more, fetched and parsed on threads of their own. A page
/// whose answer names the next token before it is parsed starts the next request at once, so a
/// long listing costs about max(service, parse) per page, not their sum. Never the whole listing.
/// Not thread-safe: one consumer (as `ObjectListing` requires).
struct PagedListing<Fetcher: ListingPageFetcher>: ObjectListing {
    private let fetcher: Fetcher
    private var page: [ObjectInfo] = []
    private var nextIndex = 0
    private var nextToken: String?
    private var finished = false
    private var prefetched: PrefetchedPage?
    private let window = PrefetchWindowOwner()

    /// `startingNow`: the first page is requested at once, on a thread of its own, instead of at
    /// the first `next()` (several listings opened ahead of use then wait on the service together).
    init(_ fetcher: Fetcher, startingNow: Bool = false) {
        self.fetcher = fetcher
        if startingNow { prefetched = PrefetchedPage(fetcher, token: nil, window: window.window) }
    }

    mutating func next() throws -> ObjectInfo? {
        while nextIndex >= page.count {
            if finished { return nil }
            // A failed prefetch is dropped, so the caller's retry fetches the page itself.
            let fetched: ListingPage
            if let ahead = prefetched, ahead.token == nextToken {
                prefetched = nil
                let outcome = Result { try ahead.wait() }
                prefetched = ahead.successor
                fetched = try outcome.get()
            } else {
                prefetched = nil
                fetched = try fetcher.fetchPage(after: nextToken)
            }
            page = fetched.objects
            nextIndex = 0
            nextToken = fetched.nextToken
            finished = fetched.nextToken == nil
            if let token = nextToken, prefetched?.token != token {
                prefetched = PrefetchedPage(fetcher, token: token, window: window.window)
            }
        }
        defer { nextIndex += 1 }
        return page[nextIndex]
    }
}

/// How many pages may be fetched ahead of the one being consumed. A counting semaphore that can
/// be closed: a listing dropped before its end wakes the fetches waiting for a turn, which then
/// stop. Thread-safe (under `condition`).
final class PrefetchWindow: @unchecked Sendable {
    static let pagesAhead = 2
    private let condition = NSCondition()
    private var free = PrefetchWindow.pagesAhead
    private var closed = false

    /// Waits for a turn; false once the listing was dropped.
    func acquire() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while free == 0 && !closed { condition.wait() }
        guard !closed else { return false }
        free -= 1
        return true
    }

    func release() {
        condition.lock()
        free += 1
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Closes the window when the listing that owns it goes away (fetch threads hold the window, not
/// this owner, so it does go away).
final class PrefetchWindowOwner: @unchecked Sendable {
    let window = PrefetchWindow()
    deinit { window.close() }
}

/// One page being fetched and parsed on a thread of its own; when the answer names the next
/// token before the parse, the next page (`successor`) is started then. Thread-safe: results are
/// written once under `condition` and read after they are set (hence `@unchecked Sendable`).
final class PrefetchedPage: @unchecked Sendable {
    /// Where the page starts; nil for the first page.
    let token: String?
    private let condition = NSCondition()
    private var result: Result<ListingPage, any Error>?
    private var startedSuccessor: PrefetchedPage?
    /// The window's turn this page holds while it lives (consumed or dropped, it gives it back).
    private let window: PrefetchWindow
    private var holdsTurn = false

    init(_ fetcher: some ListingPageFetcher, token: String?, window: PrefetchWindow) {
        self.token = token
        self.window = window
        let thread = Thread { [self] in
            let turn = window.acquire()
            condition.lock()
            holdsTurn = turn
            condition.unlock()
            guard turn else {
                finish(.failure(FerryError(.cancelled, "listing dropped", disposition: .abortJob)), successor: nil)
                return
            }
            var successor: PrefetchedPage?
            let outcome = Result { () throws -> ListingPage in
                let unparsed = try fetcher.fetchUnparsed(after: token)
                if case .next(let next) = unparsed.nextToken {
                    successor = PrefetchedPage(fetcher, token: next, window: window)
                }
                let page = try unparsed.parse()
                if unparsed.nextToken != .unknown, unparsed.nextToken != (page.nextToken.map { .next($0) } ?? .last) {
                    throw FerryError(.protocolViolation, "a listing page's next-page marker changed between its first "
                                     + "read and its parse", disposition: .retry)
                }
                return page
            }
            // A page that failed has no successor: the caller's retry starts again from it.
            finish(outcome, successor: (try? outcome.get()) == nil ? nil : successor)
        }
        thread.name = "ferry-list-ahead"
        thread.start()
    }

    deinit {
        if holdsTurn { window.release() }
    }

    private func finish(_ outcome: Result<ListingPage, any Error>, successor: PrefetchedPage?) {
        condition.lock()
        result = outcome
        startedSuccessor = successor
        condition.broadcast()
        condition.unlock()
    }

    func wait() throws -> ListingPage {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }

    /// The next page, if this one started it (read after `wait`).
    var successor: PrefetchedPage? {
        condition.lock()
        defer { condition.unlock() }
        return startedSuccessor
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
