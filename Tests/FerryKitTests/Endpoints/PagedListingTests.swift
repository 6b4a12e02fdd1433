import Foundation
import Testing
@testable import FerryKit

/// `PagedListing`'s read-ahead: every object once and in order, never more than
/// `PrefetchWindow.pagesAhead` pages fetched ahead of the consumer, a failed page fetched again
/// by the caller's retry, and a next-page marker that the parse contradicts refused.
@Suite struct PagedListingTests {
    /// Pages "0", "1", … of `pageSize` objects each; tokens are page numbers. Thread-safe (lock).
    final class CountingFetcher: ListingPageFetcher, @unchecked Sendable {
        let pages: Int
        let pageSize = 3
        let peeks: Bool
        var failOnce: Int?
        var lie: Int?
        private let lock = NSLock()
        private(set) var fetchedUpTo = -1
        private(set) var fetches = 0

        init(pages: Int, peeks: Bool, failOnce: Int? = nil, lie: Int? = nil) {
            self.pages = pages
            self.peeks = peeks
            self.failOnce = failOnce
            self.lie = lie
        }

        private func record(_ number: Int) throws {
            lock.lock()
            defer { lock.unlock() }
            fetches += 1
            fetchedUpTo = max(fetchedUpTo, number)
            if failOnce == number {
                failOnce = nil
                throw FerryError(.network, "page \(number) failed", disposition: .retry)
            }
        }

        private func page(_ number: Int) -> ListingPage {
            ListingPage(objects: (0..<pageSize).map { ObjectInfo(path: String(format: "%04d", number * pageSize + $0), sizeBytes: 1) },
                        nextToken: number + 1 < pages ? String(number + 1) : nil)
        }

        func fetchPage(after token: String?) throws -> ListingPage {
            let number = Int(token ?? "0")!
            try record(number)
            return page(number)
        }

        func fetchUnparsed(after token: String?) throws -> UnparsedListingPage {
            guard peeks else { let page = try fetchPage(after: token); return UnparsedListingPage(nextToken: .unknown, parse: { page }) }
            let number = Int(token ?? "0")!
            try record(number)
            let page = page(number)
            var peeked: PeekedToken = page.nextToken.map { .next($0) } ?? .last
            if lie == number { peeked = .next("999") }
            return UnparsedListingPage(nextToken: peeked, parse: { page })
        }

        /// How far ahead of `consumedPage` the fetches have gone.
        func ahead(of consumedPage: Int) -> Int {
            lock.lock()
            defer { lock.unlock() }
            return fetchedUpTo - consumedPage
        }
    }

    private func drain(_ fetcher: CountingFetcher, slowly: Bool = false) throws -> (paths: [String], maxAhead: Int) {
        var listing = PagedListing(fetcher)
        var paths: [String] = []
        var maxAhead = 0
        var retry = RetryPolicy()
        retry.sleep = { _ in }
        while let info = try retry.run(cancellation: CancellationFlag(), { try listing.next() }) {
            paths.append(info.path)
            if slowly { Thread.sleep(forTimeInterval: 0.002) }
            maxAhead = max(maxAhead, fetcher.ahead(of: (paths.count - 1) / fetcher.pageSize))
        }
        return (paths, maxAhead)
    }

    @Test(arguments: [true, false]) func everyObjectOnceInOrderWithinTheWindow(peeks: Bool) throws {
        let fetcher = CountingFetcher(pages: 12, peeks: peeks)
        let (paths, maxAhead) = try drain(fetcher, slowly: true)
        #expect(paths == (0..<36).map { String(format: "%04d", $0) })
        #expect(maxAhead <= PrefetchWindow.pagesAhead)
        #expect(maxAhead >= 1)  // it does read ahead
        #expect(fetcher.fetches == 12)
    }

    @Test func aFailedPageIsFetchedAgainAndTheListingGoesOn() throws {
        let fetcher = CountingFetcher(pages: 6, peeks: true, failOnce: 3)
        let (paths, _) = try drain(fetcher)
        #expect(paths == (0..<18).map { String(format: "%04d", $0) })
    }

    @Test func aMarkerThatTheParseContradictsIsAnError() throws {
        let fetcher = CountingFetcher(pages: 6, peeks: true, lie: 2)
        var listing = PagedListing(fetcher)
        #expect(throws: FerryError.self) { while try listing.next() != nil {} }
    }

    @Test func azureNextMarkerIsReadFromTheAnswersEnd() {
        func peek(_ xml: String) -> PeekedToken { AzureBlobListingPages.peekNextMarker(Data(xml.utf8)) }
        let head = "<?xml version=\"1.0\"?><EnumerationResults><Blobs><Blob><Name>a</Name></Blob></Blobs>"
        #expect(peek(head + "<NextMarker>b&amp;c</NextMarker></EnumerationResults>") == .next("b&c"))
        #expect(peek(head + "<NextMarker>x</NextMarker></EnumerationResults>\n") == .next("x"))
        #expect(peek(head + "<NextMarker /></EnumerationResults>") == .last)
        #expect(peek(head + "<NextMarker></NextMarker></EnumerationResults>") == .last)
        #expect(peek(head + "</EnumerationResults>") == .unknown)
        #expect(peek(head + "<NextMarker>x</NextMarker><Other/></EnumerationResults>") == .unknown)
        #expect(peek(head) == .unknown)
    }
}
