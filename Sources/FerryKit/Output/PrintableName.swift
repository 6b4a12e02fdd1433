/// A name as one printable line: control characters (U+0000–U+001F, U+007F–U+009F) and the
/// Unicode line and paragraph separators are shown as `\u{…}` escapes, so a hostile remote name
/// cannot break a message across lines or drive the terminal. Everything else is kept as is.
/// Pure; safe from any thread.
public enum PrintableName {
    public static func of(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: needsEscape) else { return name }
        var out = ""
        out.reserveCapacity(name.utf8.count + 8)
        for scalar in name.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
