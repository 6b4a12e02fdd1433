import FerryHTTP
import Foundation

/// Fetches List Blobs pages (following `NextMarker`) for `PagedListing`. Directory entries
/// (`BlobPrefix`, non-recursive listings) are not objects and are skipped.
struct AzureBlobListingPages: ListingPageFetcher {
    let client: AzureBlobClient
    let root: ListingRoot
    let recursive: Bool
    let pageSize: Int

    init(client: AzureBlobClient, prefix: String, recursive: Bool, pageSize: Int) {
        self.client = client
        root = ListingRoot(root: client.location.prefix, prefix: prefix)
        self.recursive = recursive
        self.pageSize = pageSize
    }

    func fetchPage(after marker: String?) throws -> ListingPage {
        let parsed = try fetchParsed(after: marker)
        let objects = parsed.blobs.compactMap { blob in
            root.relativePath(of: blob.name).map { AzureBlobProperties.objectInfo(path: $0, listed: blob) }
        }
        return ListingPage(objects: objects, nextToken: parsed.nextMarker)
    }

    /// One List Blobs page as the service sent it.
    func fetchParsed(after marker: String?) throws -> AzureListingPage {
        var query: [(String, String)] = [("restype", "container"), ("comp", "list")]
        if !root.servicePrefix.isEmpty { query.append(("prefix", root.servicePrefix)) }
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
        return parsed
    }
}
