/// One page of a store's listing: its objects (paths relative to the endpoint root) and the token
/// where the next page starts (nil on the last page).
struct ListingPage {
    var objects: [ObjectInfo]
    var nextToken: String?
}

/// Fetches one page of a listing from a store (List Blobs, ListObjectsV2); `token` nil is the
/// first page. One attempt per call: the engine retries.
protocol ListingPageFetcher {
    func fetchPage(after token: String?) throws -> ListingPage
}

/// Streams a paged listing one object at a time, holding one page in memory, never the whole
/// listing. Not thread-safe: one consumer (as `ObjectListing` requires).
struct PagedListing<Fetcher: ListingPageFetcher>: ObjectListing {
    private let fetcher: Fetcher
    private var page: [ObjectInfo] = []
    private var nextIndex = 0
    private var nextToken: String?
    private var finished = false

    init(_ fetcher: Fetcher) {
        self.fetcher = fetcher
    }

    mutating func next() throws -> ObjectInfo? {
        while nextIndex >= page.count {
            if finished { return nil }
            let fetched = try fetcher.fetchPage(after: nextToken)
            page = fetched.objects
            nextIndex = 0
            nextToken = fetched.nextToken
            finished = fetched.nextToken == nil
        }
        defer { nextIndex += 1 }
        return page[nextIndex]
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
        guard name.hasPrefix(rootPrefix) else { return nil }
        let path = String(name.dropFirst(rootPrefix.count))
        guard !path.isEmpty, !path.hasSuffix("/") else { return nil }
        return path
    }
}
