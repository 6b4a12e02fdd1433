import FerryHTTP
import Foundation

/// Streams a List Blobs result a page at a time, following `NextMarker`. Directory entries
/// (`BlobPrefix`, non-recursive listings) are not objects and are skipped.
/// Not thread-safe: one consumer (as `ObjectListing` requires).
struct AzureBlobListing: ObjectListing {
    private let client: AzureBlobClient
    /// The service-side prefix: the root prefix joined with the caller's prefix.
    private let servicePrefix: String
    /// What to strip from each blob name to get a path relative to the root (`root/`).
    private let rootPrefix: String
    private let recursive: Bool
    private let pageSize: Int

    private var page: [ObjectInfo] = []
    private var nextIndex = 0
    private var marker: String?
    private var finished = false

    init(client: AzureBlobClient, prefix: String, recursive: Bool, pageSize: Int) {
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
        var query: [(String, String)] = [("restype", "container"), ("comp", "list")]
        if !servicePrefix.isEmpty { query.append(("prefix", servicePrefix)) }
        if !recursive { query.append(("delimiter", "/")) }
        query.append(("include", "metadata"))
        query.append(("maxresults", String(pageSize)))
        if let marker { query.append(("marker", marker)) }

        let operation = "listing"
        let response = try client.send("GET", blobName: nil, query: query, operation: operation)
        try client.require(response, [200], operation: operation, blobName: nil)
        let parsed: AzureListingPage
        do {
            parsed = try AzureListingPage.parse(response.body)
        } catch {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(blobName: nil)) failed: the service sent a listing that is not valid XML",
                             disposition: .retry, cause: "\(error)")
        }
        page = parsed.blobs.compactMap { blob in
            guard blob.name.hasPrefix(rootPrefix) else { return nil }
            let path = String(blob.name.dropFirst(rootPrefix.count))
            // A blob named exactly like a "directory" marker ("dir/") has no relative file name.
            guard !path.isEmpty, !path.hasSuffix("/") else { return nil }
            return AzureBlobProperties.objectInfo(path: path, listed: blob)
        }
        nextIndex = 0
        marker = parsed.nextMarker
        finished = parsed.nextMarker == nil
    }
}
