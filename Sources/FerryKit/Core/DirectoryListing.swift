/// One entry of a one-level listing: an object, or a "directory" (a local directory, or a name
/// prefix that ends at the next `/`, Azure's BlobPrefix and S3's CommonPrefix). Value type.
public enum ListingEntry: Sendable, Hashable {
    case object(ObjectInfo)
    /// Relative to the endpoint root, ending in `/` (`sub/`, `a/b/`).
    case directory(String)

    /// The entry's relative path (a directory's ends in `/`).
    public var path: String {
        switch self {
        case .object(let info): return info.path
        case .directory(let path): return path
        }
    }
}

/// A page-at-a-time one-level listing. Not thread-safe: one consumer.
public protocol DirectoryListing {
    /// The next entry, or nil when the listing is exhausted.
    mutating func next() throws -> ListingEntry?
}

/// An endpoint that can list one level with its directories (`ferry ls` without `-r`).
///
/// `listDirectory(prefix:)` yields the objects whose path starts with `prefix` and has no further
/// `/`, and one `.directory` entry per deeper level (`prefix` + name + `/`). `prefix` is "" or
/// usually ends in `/`. Local and Azure list in UTF-8 byte order of the path; SeaweedFS may not.
/// Streams: one page (Azure, S3) or one directory's names (local) in memory at a time.
public protocol DirectoryListingEndpoint: Endpoint {
    func listDirectory(prefix: String) throws -> any DirectoryListing
}

/// Merges one page's objects and directory prefixes, each in byte order, into one byte-ordered
/// run (a store sends them apart, or in separate XML lists). Pure.
enum ListingEntryMerge {
    static func merge(objects: [ObjectInfo], directories: [String]) -> [ListingEntry] {
        var merged: [ListingEntry] = []
        merged.reserveCapacity(objects.count + directories.count)
        var objectIndex = 0
        var directoryIndex = 0
        while objectIndex < objects.count || directoryIndex < directories.count {
            let takeObject: Bool
            if objectIndex == objects.count {
                takeObject = false
            } else if directoryIndex == directories.count {
                takeObject = true
            } else {
                takeObject = NameOrder.precedes(objects[objectIndex].path, directories[directoryIndex])
            }
            if takeObject {
                merged.append(.object(objects[objectIndex]))
                objectIndex += 1
            } else {
                merged.append(.directory(directories[directoryIndex]))
                directoryIndex += 1
            }
        }
        return merged
    }
}
