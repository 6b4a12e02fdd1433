#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import FerryKit

/// One `ferry rm`: decides what to delete (the named object, or with `-r` everything the
/// filters select below the location), hands the paths to `ObjectRemover` as the listing
/// streams, prints each outcome and the summary. Blocking: run it on a thread of its own.
struct RemovalRun: Sendable {
    var location: EndpointLocation
    var recursive: Bool
    var dryRun: Bool
    var filter: PathFilter
    var concurrency: Int
    var json: Bool

    init(location: EndpointLocation, recursive: Bool, dryRun: Bool, filter: PathFilter, concurrency: Int, json: Bool) {
        self.location = location
        self.recursive = recursive
        self.dryRun = dryRun
        self.filter = filter
        self.concurrency = concurrency
        self.json = json
    }

    /// What the user sees for the location (an absolute local path, or the redacted URL).
    var displayRoot: String { location.kind == .local ? location.root : location.redacted }

    func execute(open: EndpointOpener) throws -> ExitCode {
        if location.kind == .local { try checkLocalRoot() }
        let endpoint = try open(location)
        let single = try endpoint.stat("")
        let takesRoot = single.map { filter.accepts(path: location.lastComponent, lastModified: $0.lastModified) } ?? false
        if !recursive && single == nil {
            var below = try endpoint.list(prefix: "", recursive: true)
            if try below.next() != nil {
                throw FerryError(.usage, "'\(displayRoot)' is a directory or prefix: pass -r to delete what is under it",
                                 disposition: .abortJob)
            }
            throw FerryError(.notFound, "nothing to delete: there is no object at '\(displayRoot)'", disposition: .abortJob)
        }
        let output = RemovalOutput(root: displayRoot, json: json, dryRun: dryRun,
                                   tracksDirectories: endpoint is LocalEndpoint && !dryRun)
        var listing: (any ObjectListing)? = recursive ? try endpoint.list(prefix: "", recursive: true) : nil
        var rootPending = takesRoot
        let remover = ObjectRemover(endpoint: endpoint, concurrency: concurrency)
        let summary = remover.remove(next: {
            if rootPending {
                rootPending = false
                return ""
            }
            while let info = try listing?.next() {
                if filter.accepts(info) { return info.path }
            }
            return nil
        }, dryRun: dryRun, onResult: output.report)
        listing = nil
        var directoriesRemoved = 0
        if let local = endpoint as? LocalEndpoint, !dryRun {
            directoriesRemoved = local.removeEmptyDirectories(output.touchedDirectories())
        }
        output.finish(summary, directoriesRemoved: directoriesRemoved)
        if let stop = summary.stoppedBy { return CommandFailure.exitCode(for: stop) }
        return summary.failed > 0 ? .failure : .success
    }

    /// A local root that is a symbolic link is refused for `-r` (what it points to may lie
    /// anywhere); a missing one has nothing to delete.
    private func checkLocalRoot() throws {
        var info = stat()
        guard lstat(location.root, &info) == 0 else {
            throw FerryError(.notFound, "nothing to delete: '\(location.root)' does not exist", disposition: .abortJob)
        }
        if recursive && (info.st_mode & S_IFMT) == S_IFLNK {
            throw FerryError(.usage, "refusing to delete recursively through '\(location.root)': it is a symbolic link; "
                             + "name the directory it points to", disposition: .abortJob)
        }
    }
}
