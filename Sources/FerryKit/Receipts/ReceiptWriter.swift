import Foundation

/// Writes a receipt as entries arrive, in bounded memory: each line goes to `sink` in chunks of
/// about 1 MiB; the root hash is computed as it goes. Entries must come in UTF-8 byte order of
/// their paths, each path once (a writer fed out of order throws rather than write a receipt
/// that could not be compared). Not thread-safe: one owner.
public final class ReceiptWriter {
    private let sink: (Data) throws -> Void
    private let rootHash = ReceiptRootHash()
    private var buffer = ReceiptBytes(capacity: ReceiptWriter.flushBytes + 4096)
    private var previousPath: String?
    private var fileCount: Int64 = 0
    private var totalBytes: Int64 = 0
    private var finished = false
    static let flushBytes = 1 << 20

    /// `sink` receives the receipt's bytes in order.
    public init(sink: @escaping (Data) throws -> Void) {
        self.sink = sink
    }

    public func add(_ entry: ReceiptEntry) throws {
        precondition(!finished, "ReceiptWriter used after finish()")
        if let previousPath, !NameOrder.precedes(previousPath, entry.path) {
            let what = NameOrder.same(previousPath, entry.path) ? "twice" : "out of byte order"
            throw FerryError(.internal, "receipt entry '\(entry.path)' came \(what) (after '\(previousPath)')", disposition: .abortJob)
        }
        guard entry.sizeBytes >= 0 else {
            throw FerryError(.internal, "receipt entry '\(entry.path)' has a negative size", disposition: .abortJob)
        }
        previousPath = entry.path
        rootHash.add(entry)
        fileCount += 1
        totalBytes += entry.sizeBytes
        entry.appendJSONLine(to: &buffer)
        buffer.append("\n")
        if buffer.bytes.count >= Self.flushBytes { try flush() }
    }

    /// Writes the trailer line and the last bytes; returns the trailer.
    @discardableResult
    public func finish() throws -> ReceiptTrailer {
        precondition(!finished, "ReceiptWriter finished twice")
        finished = true
        let trailer = ReceiptTrailer(fileCount: fileCount, totalBytes: totalBytes, rootHash: rootHash.finish())
        buffer.append(raw: trailer.jsonLine())
        buffer.append("\n")
        try flush()
        return trailer
    }

    private func flush() throws {
        guard !buffer.bytes.isEmpty else { return }
        try sink(Data(buffer.bytes))
        buffer.removeAll()
    }
}
