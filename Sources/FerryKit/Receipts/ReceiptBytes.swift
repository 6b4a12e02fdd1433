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
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case ..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendDecimal(_ value: Int64) {
        guard value != 0 else { bytes.append(UInt8(ascii: "0")); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(48 + magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }

    /// 16 lowercase hex digits, most significant first.
    mutating func appendHex(_ value: UInt64) {
        for shift in stride(from: 60, through: 0, by: -4) {
            bytes.append(Self.hexDigits[Int((value >> UInt64(shift)) & 0x0F)])
        }
    }

    mutating func appendHex(_ data: Data) {
        for byte in data {
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
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
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var value = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            bytes[index] = UInt8(48 + value % 10)
            value /= 10
        }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
