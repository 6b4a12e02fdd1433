import Foundation

/// The two time formats the Blob service reads during authentication: RFC 1123 for `x-ms-date`
/// and `Date`, and the ISO-8601 subset SAS tokens use for `st`/`se`.
/// Parsed by hand (no `DateFormatter`): the formats are fixed, always UTC, and a parser that is a
/// pure function of its input has no locale or thread-safety questions. Stateless; safe anywhere.
enum ServiceTime {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday

    /// `Mon, 01 Jan 2024 00:00:00 GMT`. The weekday is not checked against the date (the service
    /// does not either); the zone must be `GMT` (or `UTC`).
    static func parseRFC1123(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" || parts[5] == "UTC",
              let day = Int(parts[1]), let monthIndex = monthNames.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]), parts[3].count == 4 else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]) else { return nil }
        return makeDate(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
    }

    /// SAS times: `YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ`, `YYYY-MM-DDThh:mm:ssZ`, and the last with
    /// 1–7 fractional digits (`…ss.fffffffZ`). Always UTC.
    static func parseISO8601(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 10, let year = digits(chars, 0, 4), chars[4] == UInt8(ascii: "-"),
              let month = digits(chars, 5, 2), chars[7] == UInt8(ascii: "-"), let day = digits(chars, 8, 2)
        else { return nil }
        if chars.count == 10 { return makeDate(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) }
        guard chars.count >= 17, chars[10] == UInt8(ascii: "T"), chars.last == UInt8(ascii: "Z"),
              let hour = digits(chars, 11, 2), chars[13] == UInt8(ascii: ":"), let minute = digits(chars, 14, 2)
        else { return nil }
        if chars.count == 17 { return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: 0) }
        guard chars.count >= 20, chars[16] == UInt8(ascii: ":"), let second = digits(chars, 17, 2),
              let whole = makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        if chars.count == 20 { return whole }
        let fractionDigits = chars.count - 21   // between "." at 19 and the closing "Z"
        guard chars[19] == UInt8(ascii: "."), (1...7).contains(fractionDigits),
              let fraction = digits(chars, 20, fractionDigits) else { return nil }
        return whole.addingTimeInterval(Double(fraction) / pow(10, Double(fractionDigits)))
    }

    /// `Mon, 01 Jan 2024 00:00:00 GMT`, as the service prints times in error details.
    static func formatRFC1123(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = weekdayNames[((days % 7) + 7) % 7]
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(weekday), \(pad(day)) \(monthNames[month - 1]) \(pad(year, 4)) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    private static func digits(_ chars: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= chars.count else { return nil }
        var value = 0
        for char in chars[start..<start + count] {
            guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(char - UInt8(ascii: "0"))
        }
        return value
    }

    private static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (eras of 400 years).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year   // years start in March so Feb 29 is last
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSinceEpoch`.
    private static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension ServiceTime {
    /// `2024-01-01T00:00:00Z`, as the issuer stamps its answers and logs.
    static func formatISO8601(_ date: Date) -> String {
        let text = formatRFC1123(date)   // "Mon, 01 Jan 2024 00:00:00 GMT"
        let parts = text.split(separator: " ")
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            .firstIndex(of: String(parts[2]))! + 1
        return "\(parts[3])-\(month < 10 ? "0" : "")\(month)-\(parts[1])T\(parts[4])Z"
    }
}
