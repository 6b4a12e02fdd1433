/// One-level listings (`ferry ls` without `-r`): List Blobs with `delimiter=/`, blobs and
/// BlobPrefix entries merged in the byte order the service lists them.
extension AzureBlobEndpoint: DirectoryListingEndpoint {
    public func listDirectory(prefix: String) throws -> any DirectoryListing {
        PagedDirectoryListing(AzureBlobListingPages(client: client, prefix: prefix, recursive: false, pageSize: listPageSize))
    }
}

/// A sync's destination listing, fanned out over the top level's directories (`FannedOutListing`).
extension AzureBlobEndpoint: SubtreeListingEndpoint {
    func listLevel(prefix: String) throws -> any DirectoryListing {
        var pages = AzureBlobListingPages(client: client, prefix: prefix, recursive: false, pageSize: listPageSize)
        pages.keepsEmptySegment = true
        return PagedDirectoryListing(pages)
    }

    func listSubtreeStartingNow(_ directory: String) throws -> any ObjectListing {
        PagedListing(AzureBlobListingPages(client: client, prefix: directory, recursive: true, pageSize: listPageSize),
                     startingNow: true)
    }
}

extension AzureBlobListingPages: DirectoryPageFetcher {
    func fetchDirectoryPage(after marker: String?) throws -> DirectoryPage {
        let parsed = try fetchParsed(after: marker)
        let objects = parsed.blobs.compactMap { blob in
            root.relativePath(of: blob.name).map { AzureBlobProperties.objectInfo(path: $0, listed: blob) }
        }
        let directories = parsed.prefixes.compactMap { root.relativeDirectory(of: $0, keepingSlash: keepsEmptySegment) }
        return DirectoryPage(entries: ListingEntryMerge.merge(objects: objects, directories: directories),
                             nextToken: parsed.nextMarker)
    }
}
