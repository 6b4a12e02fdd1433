#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A receipt line being built as UTF-8 bytes: JSON strings, decimals, hex and timestamps appended
/// without a `String` per piece (a receipt of a million files is a million lines; building them
/// from interpolated Strings was most of a no-op sync's receipt time). Value type; one owner.
struct ReceiptBytes {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(raw text: String) { bytes.append(contentsOf: text.utf8) }

    /// A JSON string: `"` and `\` escaped, `\n` `\r` `\t` by name, other control bytes as
    /// `\u00XX`; everything else as its raw UTF-8 (bytes ≥ 0x20 are never escaped, so this is the
    /// same text a scalar-by-scalar escape gives).
    mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most names need no escape at all: one copy of the whole run.
            guard utf8.contains(where: Self.needsEscape) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\n"): append("\\n")
                case UInt8(ascii: "\r"): append("\\r")
                case UInt8(ascii: "\t"): append("\\t")
                case ..<0x20:
                    append("\\u00")
                    bytes.append(Self.hexDigit(byte >> 4))
                    bytes.append(Self.hexDigit(byte & 0x0F))
                default:
                    bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, width: nil)
    }

    /// 16 lowercase hex digits, most significant first.
    mutating func appendHex(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            for index in 0..<16 {
                digits[index] = Self.hexDigit(UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0x0F)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(digits))
        }
    }

    mutating func appendHex(_ data: Data) {
        for byte in data {
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-12-04T17:07:47.123Z` (gmtime_r: no formatter
    /// object per line, safe from any thread).
    mutating func appendTimestamp(_ date: Date) {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(totalMilliseconds >= 0 ? totalMilliseconds / 1000 : (totalMilliseconds - 999) / 1000)
        let milliseconds = Int(totalMilliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        appendDigits(Int(parts.tm_year) + 1900, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mon) + 1, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(Int(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_sec), width: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(milliseconds, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `value` in exactly `width` decimal digits (leading zeros; higher digits dropped).
    private mutating func appendDigits(_ value: Int, width: Int) {
        appendDigits(UInt64(max(0, value)), width: width)
    }

    /// `value` in decimal: in exactly `width` digits when given, else in as many as it needs.
    /// Built right to left in a stack buffer, then appended at once (a byte at a time, each
    /// append checking the array's capacity, was most of a receipt line's cost).
    private mutating func appendDigits(_ value: UInt64, width: Int?) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = value
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(48 + value % 10)
                value /= 10
            } while start > 0 && (width.map { 20 - start < $0 } ?? (value > 0))
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The lowercase hex digit of a nibble (arithmetic, not a table: a static array is a
    /// `swift_once` check on every use).
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
