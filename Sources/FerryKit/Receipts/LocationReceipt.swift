import Foundation

/// `ferry receipt`: a receipt of what a location holds now. The listing is staged on disk
/// (`ReceiptStaging`), CRC-64s come from the listing (Azure lists Ferry's stored CRC-64), from a
/// `stat` per object where the listing has none (S3), or from the bytes (local files always;
/// remote objects with `readBytes`, and objects whose store keeps no CRC-64), in parallel; then
/// the rows are written in UTF-8 byte order of their paths. Memory stays flat at any file count.
/// Stateless; the work blocks (call it from a thread of its own).
public enum LocationReceipt {
    public struct Outcome: Sendable {
        public var trailer: ReceiptTrailer
        /// Objects whose CRC-64 was not in the listing (stat'ed or read).
        public var checkedObjects: Int
    }

    /// Writes the receipt of `endpoint`'s objects to `output` (`-` for standard output). Throws,
    /// writing nothing, when an object could not be checksummed (naming it). With `shard`, only
    /// that part of the split (the location is listed once to split it, once to describe it).
    public static func write(endpoint: any Endpoint, readBytes: Bool, workerCount: Int, shard: ShardSpec? = nil,
                             to output: String) throws -> Outcome {
        let staging = try ReceiptStaging()
        defer { staging.close() }
        let selection = try shard.map { try ShardSelection.ofListing(endpoint: endpoint, spec: $0) }
        defer { selection?.close() }
        let keepsListedCRC = endpoint.capabilities.isRemote && !readBytes
        var listing = try endpoint.list(prefix: "", recursive: true)
        while let info = try listing.next() {
            if let selection, !(try selection.owns(info.path)) { continue }
            try staging.addObject(info, keepStoredCRC64: keepsListedCRC)
        }
        let checked = try staging.fillChecksums(endpoint: endpoint, source: readBytes ? .read : .storedElseRead,
                                                workerCount: workerCount, matchingExpectedSizeOnly: false)
        var firstFailure: (path: String, message: String)?
        var failures = 0
        try staging.objectsInOrder { entry, path, error in
            if entry == nil {
                failures += 1
                if firstFailure == nil { firstFailure = (path, error ?? "no CRC-64") }
            }
        }
        if let firstFailure {
            let more = failures > 1 ? " (and \(failures - 1) more)" : ""
            throw FerryError(.io, "no receipt written: '\(firstFailure.path)' could not be checksummed: \(firstFailure.message)\(more)",
                             disposition: .abortJob)
        }
        let trailer = try ReceiptFile.write(to: output) { writer in
            try staging.objectsInOrder { entry, _, _ in
                if let entry { try writer.add(entry) }
            }
        }
        return Outcome(trailer: trailer, checkedObjects: checked)
    }
}
