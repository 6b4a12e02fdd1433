import Foundation
import FerryKit

/// Walks a listing for `ferry ls` and prints each entry as it arrives, then the total. Blocking
/// (endpoint calls): run it on a thread of its own. Not thread-safe: one listing at a time.
struct ListingPrinter {
    let json: Bool
    let humanReadable: Bool
    let out = LineWriter()

    /// With `shard`, only that part of the split of every object below the location (listed once
    /// to split, once to print).
    func list(_ endpoint: any Endpoint, location: EndpointLocation, recursive: Bool, filter: PathFilter,
              shard: ShardSpec? = nil) throws {
        var objects = 0
        var bytes: Int64 = 0
        var directories = 0
        func emit(_ entry: ListingEntry) {
            switch entry {
            case .object(let info):
                objects += 1
                bytes += info.sizeBytes
            case .directory:
                directories += 1
            }
            out.write(json ? ListingFormat.jsonLine(entry) : ListingFormat.textLine(entry, humanReadable: humanReadable))
        }
        defer { out.flush() }
        if location.kind == .local, !LocalPathCheck.exists(location.root) {
            throw FerryError(.notFound, "cannot list '\(location.root)': no such file or directory", disposition: .abortJob)
        }
        if var single = try endpoint.stat("") {
            // The location names one object: show it under its own name, as `ls FILE` does (the
            // first shard's, like a copy of that one file).
            single.path = location.lastComponent
            if filter.accepts(single) && (shard?.index ?? 0) == 0 { emit(.object(single)) }
        } else if recursive {
            let selection = try shard.map { try ShardSelection.ofListing(endpoint: endpoint, spec: $0, filter: filter) }
            defer { selection?.close() }
            var listing = try endpoint.list(prefix: "", recursive: true)
            while let info = try listing.next() {
                if filter.accepts(info), try selection?.owns(info.path) ?? true { emit(.object(info)) }
            }
        } else if let directoryEndpoint = endpoint as? any DirectoryListingEndpoint {
            var listing = try directoryEndpoint.listDirectory(prefix: "")
            while let entry = try listing.next() {
                switch entry {
                case .object(let info) where !filter.accepts(info): continue
                case .directory(let path) where !filter.mayTakeAnything(below: String(path.dropLast())): continue
                default: break
                }
                emit(entry)
            }
        } else {
            var listing = try endpoint.list(prefix: "", recursive: false)
            while let info = try listing.next() {
                if filter.accepts(info) { emit(.object(info)) }
            }
        }
        out.write(json ? ListingFormat.totalJSON(objects: objects, bytes: bytes, directories: directories)
                       : ListingFormat.totalText(objects: objects, bytes: bytes, directories: directories,
                                                 humanReadable: humanReadable))
    }
}

/// Does anything exist at a local path (following a link the user named)? Stateless.
enum LocalPathCheck {
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
