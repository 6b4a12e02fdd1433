import Foundation

/// Reads a receipt (`ReceiptEntry` describes the format) one entry at a time, in flat memory,
/// and checks it as it goes: every line well-formed, paths in strict UTF-8 byte order, and — when
/// the last line is reached — the format version, the counts and the root hash recomputed from
/// the entries. A receipt that was edited, truncated or reordered fails with one line naming the
/// file and the line. Errors are `FerryError(.usage)` (exit 64: the input is bad). Not
/// thread-safe: one consumer.
public final class ReceiptReader {
    public let path: String
    private let lines: ByteLineReader
    private let rootHash = ReceiptRootHash()
    private var lineNumber = 0
    private var previousPath: String?
    private var fileCount: Int64 = 0
    private var totalBytes: Int64 = 0
    /// The checked trailer, once `next()` returned nil.
    public private(set) var trailer: ReceiptTrailer?

    public init(path: String) throws {
        self.path = path
        lines = try ByteLineReader(path: path)
    }

    /// The next entry, or nil after the trailer was read and checked.
    public func next() throws -> ReceiptEntry? {
        guard trailer == nil else { return nil }
        guard let line = try lines.nextLine() else {
            throw failure(lineNumber == 0 ? "is empty" : "ends without its final line (truncated?)", line: nil)
        }
        lineNumber += 1
        let object = try parseObject(line)
        if object["path"] != nil {
            let entry = try parseEntry(object)
            try accept(entry)
            return entry
        }
        trailer = try parseTrailer(object)
        if let extra = try lines.nextLine(), !extra.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
            throw failure("has lines after its final line", line: lineNumber + 1)
        }
        return nil
    }

    /// Reads the whole receipt and returns its checked trailer (entries are not kept).
    public static func check(path: String) throws -> ReceiptTrailer {
        let reader = try ReceiptReader(path: path)
        while try reader.next() != nil {}
        return reader.trailer!
    }

    private func accept(_ entry: ReceiptEntry) throws {
        if let previousPath, !NameOrder.precedes(previousPath, entry.path) {
            throw failure(NameOrder.same(previousPath, entry.path) ? "lists '\(entry.path)' twice"
                          : "is not sorted by path bytes ('\(entry.path)' after '\(previousPath)')", line: lineNumber)
        }
        previousPath = entry.path
        rootHash.add(entry)
        fileCount += 1
        totalBytes += entry.sizeBytes
    }

    private func parseObject(_ line: Data) throws -> [String: Any] {
        let value = try? JSONSerialization.jsonObject(with: line, options: [])
        guard let object = value as? [String: Any] else { throw failure("is not a JSON object", line: lineNumber) }
        return object
    }

    private func parseEntry(_ object: [String: Any]) throws -> ReceiptEntry {
        guard let path = object["path"] as? String else { throw failure("has a 'path' that is not a string", line: lineNumber) }
        guard let size = Self.integer(object["size"]), size >= 0 else {
            throw failure("has no valid 'size' for '\(path)'", line: lineNumber)
        }
        guard let crcText = object["crc64"] as? String, let crc = ReceiptEntry.crc64(fromHex: crcText) else {
            throw failure("has no valid 'crc64' (16 lowercase hex digits) for '\(path)'", line: lineNumber)
        }
        var entry = ReceiptEntry(path: path, sizeBytes: size, crc64: crc)
        if let md5 = object["md5"] {
            guard let text = md5 as? String, text.utf8.count == 32, let bytes = ReceiptEntry.bytes(fromHex: text) else {
                throw failure("has an invalid 'md5' for '\(path)'", line: lineNumber)
            }
            entry.md5 = bytes
        }
        if let etag = object["etag"] {
            guard let text = etag as? String else { throw failure("has an invalid 'etag' for '\(path)'", line: lineNumber) }
            entry.etag = text
        }
        if let mtime = object["mtime"] {
            guard let text = mtime as? String, let date = ReceiptJSON.date(text) else {
                throw failure("has an invalid 'mtime' for '\(path)'", line: lineNumber)
            }
            entry.modified = date
        }
        return entry
    }

    private func parseTrailer(_ object: [String: Any]) throws -> ReceiptTrailer {
        guard object["format"] as? String == ReceiptTrailer.formatName else {
            throw failure("is neither an entry (no 'path') nor the final line (no 'format')", line: lineNumber)
        }
        guard let version = Self.integer(object["version"]), version == Int64(ReceiptTrailer.currentVersion) else {
            throw failure("has format version \(object["version"].map { "\($0)" } ?? "none"); this ferry reads version "
                          + "\(ReceiptTrailer.currentVersion)", line: lineNumber)
        }
        guard let files = Self.integer(object["files"]), let bytes = Self.integer(object["bytes"]),
              let root = object["rootHash"] as? String else {
            throw failure("has a final line without 'files', 'bytes' and 'rootHash'", line: lineNumber)
        }
        guard files == fileCount, bytes == totalBytes else {
            throw failure("says \(files) file(s) and \(bytes) bytes but lists \(fileCount) and \(totalBytes) (it was changed)",
                          line: lineNumber)
        }
        guard root == rootHash.finish() else {
            throw failure("has a root hash that does not match its entries (it was changed)", line: lineNumber)
        }
        return ReceiptTrailer(version: Int(version), fileCount: files, totalBytes: bytes, rootHash: root)
    }

    /// A JSON integer (not a fraction, not a string).
    private static func integer(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 9.0e18 else { return nil }
        return number.int64Value
    }

    private func failure(_ message: String, line: Int?) -> FerryError {
        FerryError(.usage, "receipt '\(path)'\(line.map { " line \($0)" } ?? "") \(message)", disposition: .abortJob)
    }
}
