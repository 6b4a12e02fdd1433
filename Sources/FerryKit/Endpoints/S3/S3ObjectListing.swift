import FerryHTTP
import Foundation

/// Streams a ListObjectsV2 result a page at a time, following continuation tokens. Common
/// prefixes (non-recursive listings) and "directory marker" keys ending in `/` are not objects
/// and are skipped. Not thread-safe: one consumer (as `ObjectListing` requires).
struct S3ObjectListing: ObjectListing {
    private let client: S3Client
    /// The service-side prefix: the root prefix joined with the caller's prefix.
    private let servicePrefix: String
    /// What to strip from each key to get a path relative to the root (`root/`).
    private let rootPrefix: String
    private let recursive: Bool
    private let pageSize: Int

    private var page: [ObjectInfo] = []
    private var nextIndex = 0
    private var continuationToken: String?
    private var finished = false

    init(client: S3Client, prefix: String, recursive: Bool, pageSize: Int) {
        self.client = client
        let root = client.location.prefix
        rootPrefix = root.isEmpty ? "" : root + "/"
        servicePrefix = rootPrefix + prefix
        self.recursive = recursive
        self.pageSize = pageSize
    }

    mutating func next() throws -> ObjectInfo? {
        while nextIndex >= page.count {
            if finished { return nil }
            try fetchPage()
        }
        defer { nextIndex += 1 }
        return page[nextIndex]
    }

    private mutating func fetchPage() throws {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(pageSize))]
        if !servicePrefix.isEmpty { query.append(("prefix", servicePrefix)) }
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
        page = parsed.objects.compactMap { object in
            guard object.key.hasPrefix(rootPrefix) else { return nil }
            let path = String(object.key.dropFirst(rootPrefix.count))
            guard !path.isEmpty, !path.hasSuffix("/") else { return nil }
            return ObjectInfo(path: path, sizeBytes: object.sizeBytes, lastModified: object.lastModified, etag: object.etag)
        }
        nextIndex = 0
        continuationToken = parsed.nextContinuationToken
        finished = parsed.nextContinuationToken == nil
        if parsed.isTruncated && parsed.nextContinuationToken == nil {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: client.location.prefix)) failed: the service said the listing goes on but gave no continuation token",
                             disposition: .skipItem)
        }
    }
}
