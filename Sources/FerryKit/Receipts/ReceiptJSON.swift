#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few JSON pieces a receipt needs, written by hand so the bytes are fixed: keys in order,
/// `/` not escaped, non-ASCII as raw UTF-8, control characters as `\uXXXX`. Stateless.
enum ReceiptJSON {
    static func quoted(_ text: String) -> String {
        var out = ReceiptBytes(capacity: text.utf8.count + 2)
        out.appendQuoted(text)
        return out.text
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-12-04T17:07:47.123Z` (`ReceiptBytes`).
    static func timestamp(_ date: Date) -> String {
        var out = ReceiptBytes(capacity: 24)
        out.appendTimestamp(date)
        return out.text
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (what `timestamp` writes; any number of fraction
    /// digits) by hand: Foundation's ISO 8601 parser costs ~0.2 ms a line, a day per million files.
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        guard separators.allSatisfy({ bytes[$0.0] == $0.1.asciiValue! }),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21 else { return nil }
            var scale = 0.1
            for index in 20..<(bytes.count - 1) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                fraction += Double(digit) * scale
                scale /= 10
            }
        } else if bytes[19] != UInt8(ascii: "Z") {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
