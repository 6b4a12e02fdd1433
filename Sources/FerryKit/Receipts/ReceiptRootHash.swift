import FerryChecksums
import Foundation

/// The root hash of a receipt: SHA-256 over a fixed header and one canonical line per entry, in
/// receipt order (UTF-8 byte order of paths):
///
///     "ferry-receipt/1\n"
///     then per entry: <byte count of path> ":" <path bytes> " " <size in decimal> " " <crc64 as 16 hex> "\n"
///
/// Only path, size and CRC-64 are covered — not mtime, ETag or MD5 — so receipts of the same tree
/// made on two machines (different mtimes, different stores) have the same root hash. The length
/// prefix keeps any path bytes (spaces, newlines) unambiguous. Not thread-safe: one owner.
public final class ReceiptRootHash {
    private let digest = StreamingDigest(.sha256)

    public init() {
        digest.update(Data("\(ReceiptTrailer.formatName)/\(ReceiptTrailer.currentVersion)\n".utf8))
    }

    public func add(_ entry: ReceiptEntry) {
        digest.update(Self.canonicalLine(entry))
    }

    /// The hash as 64 lowercase hex digits; `add` must not be called afterwards.
    public func finish() -> String {
        ReceiptEntry.hex(digest.finalize())
    }

    static func canonicalLine(_ entry: ReceiptEntry) -> Data {
        var line = Data("\(entry.path.utf8.count):".utf8)
        line.append(contentsOf: entry.path.utf8)
        line.append(contentsOf: " \(entry.sizeBytes) \(ReceiptEntry.hex(entry.crc64))\n".utf8)
        return line
    }
}
