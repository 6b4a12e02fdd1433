import Foundation
@testable import FerryKit

/// A fresh directory under the system temp dir, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "ferry-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes `data` at `path`, creating parent directories.
func writeFile(_ path: String, _ data: Data) throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: path, contents: data) else {
        throw FerryError(.io, "test could not write \(path)", disposition: .abortJob)
    }
}

/// Deterministic pseudo-random bytes (a seeded xorshift), so failures reproduce.
func patternData(_ count: Int, seed: UInt64) -> Data {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return Data(bytes)
}

/// Every regular file below `root`, relative path → contents (hidden Ferry temp files included,
/// so a test notices any left behind).
func treeContents(_ root: String) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = root + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            result[relative] = FileManager.default.contents(atPath: path)
        }
    }
    return result
}

/// Runs a copy job through the real engine with local endpoints; returns the summary and the
/// job's store (closed by the caller via `close()`).
func runLocalCopy(source: String, destination: String, options: TransferOptions, home: FerryHome,
                  open: EndpointOpener = { LocalEndpoint(root: $0.original) },
                  cancellation: CancellationFlag = CancellationFlag()) throws -> (JobSummary, SQLiteManifestStore) {
    let setup = try JobSetup.newCopy(source: source, destination: destination, options: options, open: open)
    let store = try setup.createStore(home: home, commandLine: ["ferry", "copy", source, destination])
    let engine = setup.makeEngine(store: store, options: options, events: nil, cancellation: cancellation)
    return (engine.run(), store)
}
