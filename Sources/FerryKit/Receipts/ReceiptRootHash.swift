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

    private var line = ReceiptBytes(capacity: 128)

    public func add(_ entry: ReceiptEntry) {
        line.removeAll()
        Self.appendCanonicalLine(entry, to: &line)
        line.bytes.withUnsafeBytes { digest.update($0) }
    }

    /// The hash as 64 lowercase hex digits; `add` must not be called afterwards.
    public func finish() -> String {
        ReceiptEntry.hex(digest.finalize())
    }

    static func canonicalLine(_ entry: ReceiptEntry) -> Data {
        var line = ReceiptBytes()
        appendCanonicalLine(entry, to: &line)
        return Data(line.bytes)
    }

    static func appendCanonicalLine(_ entry: ReceiptEntry, to line: inout ReceiptBytes) {
        line.appendDecimal(Int64(entry.path.utf8.count))
        line.append(":")
        line.append(raw: entry.path)
        line.append(" ")
        line.appendDecimal(entry.sizeBytes)
        line.append(" ")
        line.appendHex(entry.crc64)
        line.append("\n")
    }
}
