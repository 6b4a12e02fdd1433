import FerryHTTP
import Foundation

/// Fetches List Blobs pages (following `NextMarker`) for `PagedListing`. Directory entries
/// (`BlobPrefix`, non-recursive listings) are not objects and are skipped.
struct AzureBlobListingPages: ListingPageFetcher {
    let client: AzureBlobClient
    let root: ListingRoot
    let recursive: Bool
    let pageSize: Int
    /// One-level pages: report the `/` directory too (names starting with `/`; `FannedOutListing`).
    var keepsEmptySegment = false

    init(client: AzureBlobClient, prefix: String, recursive: Bool, pageSize: Int) {
        self.client = client
        root = ListingRoot(root: client.location.prefix, prefix: prefix)
        self.recursive = recursive
        self.pageSize = pageSize
    }

    func fetchPage(after marker: String?) throws -> ListingPage {
        page(of: try fetchParsed(after: marker))
    }

    /// The answer's `NextMarker` is read from its last bytes before the page is parsed, so the
    /// next request goes out while this one is parsed.
    func fetchUnparsed(after marker: String?) throws -> UnparsedListingPage {
        let body = try fetchBody(after: marker)
        return UnparsedListingPage(nextToken: Self.peekNextMarker(body), parse: { [self] in page(of: try parse(body)) })
    }

    private func page(of parsed: AzureListingPage) -> ListingPage {
        let objects = parsed.blobs.compactMap { blob in
            root.relativePath(of: blob.name).map { AzureBlobProperties.objectInfo(path: $0, listed: blob) }
        }
        return ListingPage(objects: objects, nextToken: parsed.nextMarker)
    }

    /// One List Blobs page as the service sent it.
    func fetchParsed(after marker: String?) throws -> AzureListingPage {
        try parse(try fetchBody(after: marker))
    }

    /// `<NextMarker>…</NextMarker>` (or `<NextMarker />`) just before `</EnumerationResults>`,
    /// where the service puts it; `.unknown` for any other shape (the parse then decides).
    static func peekNextMarker(_ body: Data) -> PeekedToken {
        body.withUnsafeBytes { raw -> PeekedToken in
            let bytes = raw.bindMemory(to: UInt8.self)
            func endsWith(_ suffix: [UInt8], at end: Int) -> Bool {
                end >= suffix.count && zip(bytes[(end - suffix.count)..<end], suffix).allSatisfy { $0 == $1 }
            }
            var end = bytes.count
            while end > 0, [9, 10, 13, 32].contains(bytes[end - 1]) { end -= 1 }
            guard endsWith(Array("</EnumerationResults>".utf8), at: end) else { return .unknown }
            end -= "</EnumerationResults>".utf8.count
            if endsWith(Array("<NextMarker />".utf8), at: end) || endsWith(Array("<NextMarker/>".utf8), at: end) { return .last }
            guard endsWith(Array("</NextMarker>".utf8), at: end) else { return .unknown }
            let textEnd = end - "</NextMarker>".utf8.count
            let opener = Array("<NextMarker>".utf8)
            var start = textEnd
            while start > 0, bytes[start - 1] != UInt8(ascii: ">") {
                if bytes[start - 1] == UInt8(ascii: "<") { return .unknown }
                start -= 1
            }
            guard endsWith(opener, at: start) else { return .unknown }
            guard start < textEnd else { return .last }
            guard let marker = try? AzureXMLScanner.decode(UnsafeBufferPointer(rebasing: bytes[start..<textEnd])) else {
                return .unknown
            }
            return .next(marker)
        }
    }

    private func fetchBody(after marker: String?) throws -> Data {
        var query: [(String, String)] = [("restype", "container"), ("comp", "list")]
        if !root.servicePrefix.isEmpty { query.append(("prefix", root.servicePrefix)) }
        if !recursive { query.append(("delimiter", "/")) }
        query.append(("include", "metadata"))
        query.append(("maxresults", String(pageSize)))
        if let marker { query.append(("marker", marker)) }

        let operation = "listing"
        let response = try client.send("GET", blobName: nil, query: query, operation: operation)
        try client.require(response, [200], operation: operation, blobName: nil)
        return response.body
    }

    private func parse(_ body: Data) throws -> AzureListingPage {
        do {
            return try AzureListingPage.parse(body)
        } catch {
            throw FerryError(.protocolViolation, "listing \(client.describe(blobName: nil)) failed: the service sent a listing that is not valid XML",
                             disposition: .retry, cause: "\(error)")
        }
    }
}
