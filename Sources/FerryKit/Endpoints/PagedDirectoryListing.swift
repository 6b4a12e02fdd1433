/// One page of a one-level listing: objects and directory prefixes, merged in the order the
/// store sent them, and the token where the next page starts (nil on the last page).
struct DirectoryPage {
    var entries: [ListingEntry]
    var nextToken: String?
}

/// Fetches one page of a delimiter (`/`) listing. One attempt per call.
protocol DirectoryPageFetcher {
    func fetchDirectoryPage(after token: String?) throws -> DirectoryPage
}

/// Streams a one-level listing an entry at a time, one page in memory. Not thread-safe.
struct PagedDirectoryListing<Fetcher: DirectoryPageFetcher>: DirectoryListing {
    private let fetcher: Fetcher
    private var page: [ListingEntry] = []
    private var nextIndex = 0
    private var nextToken: String?
    private var finished = false

    init(_ fetcher: Fetcher) {
        self.fetcher = fetcher
    }

    mutating func next() throws -> ListingEntry? {
        while nextIndex >= page.count {
            if finished { return nil }
            let fetched = try fetcher.fetchDirectoryPage(after: nextToken)
            page = fetched.entries
            nextIndex = 0
            nextToken = fetched.nextToken
            finished = fetched.nextToken == nil
        }
        defer { nextIndex += 1 }
        return page[nextIndex]
    }
}

extension ListingRoot {
    /// A delimiter prefix (`root/sub/`) relative to the root (`sub/`); nil outside the root or
    /// for the root itself. `keepingSlash`: also the empty segment `/` (names that start with
    /// `/`), which `ls` does not show but a listing of the whole tree must not lose.
    func relativeDirectory(of prefix: String, keepingSlash: Bool = false) -> String? {
        guard prefix.utf8.starts(with: rootPrefix.utf8) else { return nil }
        let path = String(decoding: prefix.utf8.dropFirst(rootPrefix.utf8.count), as: UTF8.self)
        guard !path.isEmpty, keepingSlash || path != "/" else { return nil }
        return path
    }
}
