/// One-level listings (`ferry ls` without `-r`): List Blobs with `delimiter=/`, blobs and
/// BlobPrefix entries merged in the byte order the service lists them.
extension AzureBlobEndpoint: DirectoryListingEndpoint {
    public func listDirectory(prefix: String) throws -> any DirectoryListing {
        PagedDirectoryListing(AzureBlobListingPages(client: client, prefix: prefix, recursive: false, pageSize: listPageSize))
    }
}

extension AzureBlobListingPages: DirectoryPageFetcher {
    func fetchDirectoryPage(after marker: String?) throws -> DirectoryPage {
        let parsed = try fetchParsed(after: marker)
        let objects = parsed.blobs.compactMap { blob in
            root.relativePath(of: blob.name).map { AzureBlobProperties.objectInfo(path: $0, listed: blob) }
        }
        let directories = parsed.prefixes.compactMap(root.relativeDirectory(of:))
        return DirectoryPage(entries: ListingEntryMerge.merge(objects: objects, directories: directories),
                             nextToken: parsed.nextMarker)
    }
}
