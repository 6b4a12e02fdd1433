import Foundation
import FerryKit

/// Prints `ferry rm` outcomes: NDJSON events on stdout, or in text failures on stderr, dry-run
/// lines and a summary on stdout. Remembers the parent directories of deleted local files, so
/// the ones left empty can be removed. Thread-safe (lock-guarded, hence `@unchecked Sendable`):
/// the remover's workers report at once.
final class RemovalOutput: @unchecked Sendable {
    private let root: String
    private let json: Bool
    private let dryRun: Bool
    private let tracksDirectories: Bool
    private let out = LineWriter()
    private let lock = NSLock()
    /// Parent directories (as bytes, so names stay apart) of deleted paths.
    private var directories = Set<[UInt8]>()

    init(root: String, json: Bool, dryRun: Bool, tracksDirectories: Bool) {
        self.root = root
        self.json = json
        self.dryRun = dryRun
        self.tracksDirectories = tracksDirectories
    }

    private struct Event: Encodable {
        var type: String
        var path: String?
        var code: String?
        var message: String?
        var objectsDeleted: Int?
        var objectsFailed: Int?
        var directoriesRemoved: Int?
        var dryRunDeletes: Int?
        var dryRun: Bool?
    }

    func report(_ path: String, _ error: FerryError?) {
        let full = DisplayPath.join(root, path)
        if let error {
            if json {
                out.write(encode(Event(type: "deleteFailed", path: full, code: error.code.rawValue, message: error.message)))
            } else {
                out.flush()
                FileHandle.standardError.write(Data("failed: \(full): \(error.message)\n".utf8))
            }
            return
        }
        if dryRun {
            out.write(json ? encode(Event(type: "dryRunDelete", path: full)) : "DRYRUN: delete \(full)")
            return
        }
        if json { out.write(encode(Event(type: "deleted", path: full))) }
        if tracksDirectories, let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            lock.lock()
            directories.insert(Array(path.utf8[..<slash]))
            lock.unlock()
        }
    }

    /// Relative directories that held deleted files.
    func touchedDirectories() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return directories.map { String(decoding: $0, as: UTF8.self) }
    }

    func finish(_ summary: RemovalSummary, directoriesRemoved: Int) {
        if json {
            out.write(encode(Event(type: "summary", objectsDeleted: dryRun ? 0 : summary.removed, objectsFailed: summary.failed,
                                   directoriesRemoved: directoriesRemoved, dryRunDeletes: dryRun ? summary.removed : nil, dryRun: dryRun)))
        } else if dryRun {
            out.write("DRYRUN: \(summary.removed) object(s) would be deleted")
        } else {
            out.write("Deleted \(summary.removed) object(s)" + (summary.failed > 0 ? ", \(summary.failed) failed" : "")
                      + (directoriesRemoved > 0 ? "; removed \(directoriesRemoved) empty director\(directoriesRemoved == 1 ? "y" : "ies")" : ""))
        }
        out.flush()
    }

    private func encode(_ event: Event) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(event) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
