import FerryHTTP
import Foundation

/// Fetches ListObjectsV2 pages (following continuation tokens) for `PagedListing`. Common
/// prefixes (non-recursive listings) and "directory marker" keys ending in `/` are not objects
/// and are skipped.
struct S3ObjectListingPages: ListingPageFetcher {
    let client: S3Client
    let root: ListingRoot
    let recursive: Bool
    let pageSize: Int

    init(client: S3Client, prefix: String, recursive: Bool, pageSize: Int) {
        self.client = client
        root = ListingRoot(root: client.location.prefix, prefix: prefix)
        self.recursive = recursive
        self.pageSize = pageSize
    }

    func fetchPage(after continuationToken: String?) throws -> ListingPage {
        let parsed = try fetchParsed(after: continuationToken)
        let objects = parsed.objects.compactMap { object in
            root.relativePath(of: object.key).map {
                ObjectInfo(path: $0, sizeBytes: object.sizeBytes, lastModified: object.lastModified, etag: object.etag)
            }
        }
        return ListingPage(objects: objects, nextToken: parsed.nextContinuationToken)
    }

    /// One ListObjectsV2 page as the service sent it (keys decoded).
    func fetchParsed(after continuationToken: String?) throws -> S3ListObjectsPage {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(pageSize))]
        if !root.servicePrefix.isEmpty { query.append(("prefix", root.servicePrefix)) }
        if !recursive { query.append(("delimiter", "/")) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }

        let operation = "listing"
        let response = try client.send("GET", key: nil, query: query, operation: operation)
        try client.require(response, [200], operation: operation, key: client.location.prefix)
        let parsed: S3ListObjectsPage
        do {
            parsed = try S3ListObjectsPage.parse(response.body)
        } catch {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: client.location.prefix)) failed: the service sent a listing that is not valid XML",
                             disposition: .retry, cause: "\(error)")
        }
        if parsed.isTruncated && parsed.nextContinuationToken == nil {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: client.location.prefix)) failed: the service said the listing goes on but gave no continuation token",
                             disposition: .skipItem)
        }
        return parsed
    }
}
