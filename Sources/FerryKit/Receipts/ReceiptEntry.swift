import FerryChecksums
import Foundation

/// One file of a dataset receipt: one JSON line of the receipt file.
///
/// Receipt format (`ferry-receipt`, version 1), JSON Lines, UTF-8:
///
///     {"path":"a/b.txt","size":1234,"crc64":"9a3f0c2e11d4b7a0","md5":"…","etag":"…","mtime":"…"}
///     …one line per file, sorted by `path` as UTF-8 bytes (memcmp), no path twice…
///     {"format":"ferry-receipt","version":1,"files":2,"bytes":5678,"rootHash":"<64 hex digits>"}
///
/// - `path`: relative to the receipt's root (the copy's destination, or `ferry receipt`'s
///   TARGET), `/`-separated, exactly the bytes of the object name (NFC and NFD spellings of a
///   name are different paths).
/// - `size`: bytes. `crc64`: the whole-file CRC-64/NVME as 16 lowercase hex digits, most
///   significant first (the value `FerryChecksums.CRC64` computes).
/// - Optional, when known: `md5` (32 lowercase hex digits), `etag` (as the store reported it),
///   `mtime` (the source's modification time, ISO 8601 UTC). They are informative: the root
///   hash does not cover them, so two receipts of the same bytes agree whatever the mtimes.
/// - The last line (`ReceiptTrailer`) carries the format version, the counts and the root hash
///   (`ReceiptRootHash`) over path, size and CRC-64 of every entry in order.
///
/// Value type.
public struct ReceiptEntry: Sendable, Hashable {
    public var path: String
    public var sizeBytes: Int64
    public var crc64: UInt64
    public var md5: Data?
    public var etag: String?
    public var modified: Date?

    public init(path: String, sizeBytes: Int64, crc64: UInt64, md5: Data? = nil, etag: String? = nil, modified: Date? = nil) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.crc64 = crc64
        self.md5 = md5
        self.etag = etag
        self.modified = modified
    }

    /// The entry's JSON line (no newline); keys in a fixed order, non-ASCII as raw UTF-8.
    public func jsonLine() -> String {
        var line = ReceiptBytes()
        appendJSONLine(to: &line)
        return line.text
    }

    /// `jsonLine()` appended as bytes (what `ReceiptWriter` writes, without a String per line).
    func appendJSONLine(to line: inout ReceiptBytes) {
        line.append("{\"path\":")
        line.appendQuoted(path)
        line.append(",\"size\":")
        line.appendDecimal(sizeBytes)
        line.append(",\"crc64\":\"")
        line.appendHex(crc64)
        line.append("\"")
        if let md5 {
            line.append(",\"md5\":\"")
            line.appendHex(md5)
            line.append("\"")
        }
        if let etag {
            line.append(",\"etag\":")
            line.appendQuoted(etag)
        }
        if let modified {
            line.append(",\"mtime\":\"")
            line.appendTimestamp(modified)
            line.append("\"")
        }
        line.append("}")
    }

    /// 16 lowercase hex digits, most significant first.
    public static func hex(_ crc64: UInt64) -> String {
        let digits = String(crc64, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func hex(_ bytes: Data) -> String {
        Digests.hex(bytes)  // by table: `String(format:)` per byte is slow
    }

    /// Parses exactly 16 lowercase hex digits.
    static func crc64(fromHex text: String) -> UInt64? {
        guard text.utf8.count == 16, text.utf8.allSatisfy(Self.isLowerHex) else { return nil }
        return UInt64(text, radix: 16)
    }

    /// Parses an even number of lowercase hex digits.
    static func bytes(fromHex text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0, digits.allSatisfy(Self.isLowerHex) else { return nil }
        var data = Data(capacity: digits.count / 2)
        var index = 0
        while index < digits.count {
            data.append(UInt8(Self.nibble(digits[index]) << 4 | Self.nibble(digits[index + 1])))
            index += 2
        }
        return data
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
    }
}

/// Byte order of names: UTF-8 bytes compared as unsigned (memcmp), never Swift's canonical
/// String ordering (STYLE.md "Names are bytes").
public enum NameOrder {
    /// Is `a` before `b` in UTF-8 byte order?
    public static func precedes(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// Are `a` and `b` the same bytes?
    public static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && compare(a, b) == 0
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`: memcmp of the UTF-8
    /// bytes, the shorter first on a common prefix. (The generic `lexicographicallyPrecedes` over
    /// two UTF-8 views, a byte at a time, was a tenth of a no-op sync's decisions.)
    public static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b  // `withUTF8` may first make a bridged string native; ours already are
        return a.withUTF8 { left in b.withUTF8 { right in compare(left, right) } }
    }

    /// `compare` for byte arrays.
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { left in b.withUnsafeBufferPointer { right in compare(left, right) } }
    }

    static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0 {
            let order = memcmp(left.baseAddress!, right.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return left.count - right.count
    }
}
