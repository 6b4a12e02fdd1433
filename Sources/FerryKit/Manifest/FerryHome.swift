#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where Ferry keeps job databases: `$FERRY_HOME` (default `~/.ferry`), with `jobs/` inside.
/// Directories are created 0700 and databases 0600: they name files and hosts, if no secrets.
/// Value type; safe from any thread.
public struct FerryHome: Sendable, Hashable {
    public var path: String

    public init(path: String) { self.path = path }

    public static func fromEnvironment(_ environment: [String: String]) -> FerryHome {
        if let explicit = environment["FERRY_HOME"], !explicit.isEmpty { return FerryHome(path: explicit) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return FerryHome(path: home + "/.ferry")
    }

    public var jobsDirectory: String { path + "/jobs" }

    public func databasePath(jobID: String) -> String { jobsDirectory + "/" + jobID + ".db" }

    /// A sync's staged destination listing, beside its job database (`DestinationIndex`).
    public static func destinationIndexPath(jobDatabase: String) -> String {
        (jobDatabase.hasSuffix(".db") ? String(jobDatabase.dropLast(3)) : jobDatabase) + ".dest.db"
    }

    /// Creates the home and jobs directories (0700) if missing, and tightens them if present.
    /// Missing parents are created as `mkdir -p` would (`FERRY_HOME=/scratch/run-7/ferry` on a fresh
    /// runner), with the default mode: only Ferry's own directories are private.
    public func prepare() throws {
        try Self.createParents(of: path)
        for directory in [path, jobsDirectory] {
            if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                throw FerryError(.manifest, "cannot create '\(directory)': \(String(cString: strerror(errno)))",
                                 disposition: .abortJob)
            }
            chmod(directory, 0o700)
        }
    }

    private static func createParents(of directory: String) throws {
        var parent = directory
        while parent.hasSuffix("/") && parent.count > 1 { parent.removeLast() }
        guard let slash = parent.lastIndex(of: "/"), slash != parent.startIndex else { return }
        parent = String(parent[..<slash])
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) { return }
        try createParents(of: parent)
        if mkdir(parent, 0o755) != 0 && errno != EEXIST {
            throw FerryError(.manifest, "cannot create '\(parent)': \(String(cString: strerror(errno)))",
                             disposition: .abortJob)
        }
    }

    /// IDs of every job database, oldest first.
    public func jobIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) ?? []
        // A sync's destination index (`<id>.dest.db`) and a shard's split (`<id>.shard.db`) sit
        // beside its job database; they are not jobs.
        return names.filter { $0.hasSuffix(".db") && !$0.hasSuffix(".dest.db") && !$0.hasSuffix(".shard.db") }.map { String($0.dropLast(3)) }.sorted()
    }
}
