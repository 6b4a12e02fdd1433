import FerryChecksums
import Foundation

/// Where everything lives under `--location` (all paths absolute):
/// `containers/<name>/container.json`, `containers/<name>/blobs/<key>.json`,
/// `containers/<name>/staged/<key>/{.name,<hex block id>}`, `data/<file>` (committed block
/// content), `tmp/` (uploads in flight, cleared at start-up), `trash/` (deleted containers).
/// `<key>` is a hash of the blob name, so any name maps to a safe file name. Immutable; safe
/// from any thread.
struct StorageLayout: Sendable {
    let root: String

    var containersDirectory: String { root + "/containers" }
    var dataDirectory: String { root + "/data" }
    var temporaryDirectory: String { root + "/tmp" }
    var trashDirectory: String { root + "/trash" }

    func containerDirectory(_ container: String) -> String { containersDirectory + "/" + container }
    func containerRecordPath(_ container: String) -> String { containerDirectory(container) + "/container.json" }
    func blobsDirectory(_ container: String) -> String { containerDirectory(container) + "/blobs" }
    func stagedRoot(_ container: String) -> String { containerDirectory(container) + "/staged" }

    func blobRecordPath(_ container: String, _ blob: String) -> String {
        blobsDirectory(container) + "/" + Self.key(for: blob) + ".json"
    }

    func stagedDirectory(_ container: String, _ blob: String) -> String {
        stagedRoot(container) + "/" + Self.key(for: blob)
    }

    func stagedBlockPath(_ container: String, _ blob: String, blockID: String) -> String {
        stagedDirectory(container, blob) + "/" + Self.hexName(blockID)
    }

    func dataPath(_ file: String) -> String { dataDirectory + "/" + file }

    func newTemporaryPath() -> String { temporaryDirectory + "/" + UUID().uuidString }

    /// A stable file-name key for a blob name (SHA-256, hex).
    static func key(for blob: String) -> String { Digests.hex(Digests.sha256(Data(blob.utf8))) }

    /// A block ID as a file name: the hex of its base64 text (≤ 88 chars → ≤ 176).
    static func hexName(_ blockID: String) -> String { Digests.hex(Data(blockID.utf8)) }

    static func blockID(fromHexName name: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = name.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
