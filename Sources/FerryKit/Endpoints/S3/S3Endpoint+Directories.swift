/// One-level listings (`ferry ls` without `-r`): ListObjectsV2 with `delimiter=/`; a page's
/// objects and common prefixes merged by bytes (SeaweedFS may not order pages themselves).
extension S3Endpoint: DirectoryListingEndpoint {
    public func listDirectory(prefix: String) throws -> any DirectoryListing {
        guard case .bucket(let client) = target else { return EmptyDirectoryListing() }
        return PagedDirectoryListing(S3ObjectListingPages(client: client, prefix: prefix, recursive: false, pageSize: listPageSize))
    }
}

extension S3ObjectListingPages: DirectoryPageFetcher {
    func fetchDirectoryPage(after continuationToken: String?) throws -> DirectoryPage {
        let parsed = try fetchParsed(after: continuationToken)
        let objects = parsed.objects.compactMap { object in
            root.relativePath(of: object.key).map {
                ObjectInfo(path: $0, sizeBytes: object.sizeBytes, lastModified: object.lastModified, etag: object.etag)
            }
        }
        let directories = parsed.commonPrefixes.compactMap { root.relativeDirectory(of: $0) }
        return DirectoryPage(entries: ListingEntryMerge.merge(objects: objects, directories: directories),
                             nextToken: parsed.nextContinuationToken)
    }
}

/// A one-level listing with nothing in it (a presigned object has nothing below it). Value type.
struct EmptyDirectoryListing: DirectoryListing {
    mutating func next() throws -> ListingEntry? { nil }
}
