import Foundation

extension BlobStore {
    /// One entry of a List Blobs answer.
    enum ListedEntry: Sendable {
        /// A blob; `isCommitted` is false for a blob that only has staged blocks.
        case blob(BlobRecord, isCommitted: Bool)
        case prefix(String)
    }

    func listBlobs(_ container: String, prefix: String?, delimiter: String?, marker: String?, maxResults: Int,
                   includeUncommitted: Bool) throws -> (entries: [ListedEntry], nextMarker: String?) {
        try withContainer(container) { containerState in
            if containerState.sortedNames == nil {
                containerState.sortedNames = containerState.blobs.keys.sorted()
            }
            var names = containerState.sortedNames!
            if includeUncommitted {
                let stagedOnly = containerState.staged.keys.filter { containerState.blobs[$0] == nil }
                if !stagedOnly.isEmpty { names = (names + stagedOnly).sorted() }
            }
            let page = ListingPage.paginate(sortedNames: names, prefix: prefix, delimiter: delimiter, marker: marker,
                                            maxResults: maxResults)
            let entries = page.items.map { item -> ListedEntry in
                switch item {
                case .prefix(let folder): return .prefix(folder.text)
                case .blob(let name):
                    if let record = containerState.blobs[name] { return .blob(record, isCommitted: true) }
                    let epoch = Date(timeIntervalSince1970: 0)
                    return .blob(BlobRecord(name: name.text, settings: BlobContentSettings(), metadata: [], blocks: [], size: 0,
                                            etag: "", lastModified: epoch, creationTime: epoch), isCommitted: false)
                }
            }
            return (entries, page.nextMarker)
        }
    }
}
