#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// RFC 1123 dates (`Mon, 01 Jan 2024 00:00:00 GMT`), as headers and list XML carry them.
/// Pure; safe from any thread (uses the reentrant C time functions, not a shared formatter).
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(days[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT"
    }

    /// Parses RFC 1123 (the weekday is optional and not checked); nil if malformed.
    static func parse(_ text: String) -> Date? {
        var fields = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = fields.first, first.hasSuffix(",") { fields.removeFirst() }
        guard fields.count == 5, fields[4] == "GMT" || fields[4] == "UTC",
              let day = Int32(fields[0]), let monthIndex = months.firstIndex(of: String(fields[1])),
              let year = Int32(fields[2]) else { return nil }
        let clock = fields[3].split(separator: ":")
        guard clock.count == 3, let hour = Int32(clock[0]), let minute = Int32(clock[1]), let second = Int32(clock[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else {
            return nil
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = Int32(monthIndex)
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// ISO 8601 UTC with 7 fractional digits (`2024-01-01T00:00:00.0000000Z`), as in error messages.
enum ISOTime {
    static func format(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let ticks = Int((date.timeIntervalSince1970 - whole) * 10_000_000)
        let fraction = String(ticks).leftPadded(to: 7)
        return "\(parts.tm_year + 1900)-\(String(parts.tm_mon + 1).leftPadded(to: 2))-\(String(parts.tm_mday).leftPadded(to: 2))"
            + "T\(String(parts.tm_hour).leftPadded(to: 2)):\(String(parts.tm_min).leftPadded(to: 2)):"
            + "\(String(parts.tm_sec).leftPadded(to: 2)).\(fraction)Z"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
