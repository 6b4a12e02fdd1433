/// What the service accepts as a blob name and how a listing carries it (PROTOCOLS.md A1, A7).
/// Pure; safe from any thread.
///
/// - Length: 1–1,024 *characters*. The service counts a .NET string's length, that is UTF-16
///   code units: a CJK character (3 UTF-8 bytes) counts one, a character outside the BMP (an
///   emoji, 4 UTF-8 bytes) counts two. A 408-character CJK name (1,224 bytes) is accepted.
/// - Control characters (U+0000–U+001F, U+007F–U+009F) are refused with 400 `InvalidUri`, on
///   every operation, so no such name can be stored and no listing has to carry one.
/// - U+FFFE and U+FFFF are allowed, but XML 1.0 cannot carry them (every other character a name
///   may hold it can): listings with `x-ms-version` 2021-02-12 or later send such a name as
///   `<Name Encoded="true">` with its UTF-8 percent-encoded.
enum BlobNameRules {
    static let maximumCharacters = 1024
    /// The first service version whose listings percent-encode names XML cannot carry.
    static let encodedNamesVersion = "2021-02-12"

    static func validate(_ name: String) throws(ServiceError) {
        if name.utf16.count > maximumCharacters {
            throw ServiceError(status: 400, code: "InvalidResourceName",
                               message: "The specifed resource name length is not within the permissible limits.")
        }
        if name.unicodeScalars.contains(where: isControl) {
            throw ServiceError(status: 400, code: "InvalidUri",
                               message: "The requested URI does not represent any resource on the server.")
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether XML 1.0 cannot carry `text` as character data (after the control characters are
    /// refused, only the two noncharacters U+FFFE and U+FFFF are left).
    static func needsEncoding(_ text: String) -> Bool {
        // Both are EF BF BE / EF BF BF in UTF-8: look for the lead bytes first, cheaply.
        guard text.utf8.contains(0xEF) else { return false }
        return text.unicodeScalars.contains { $0.value == 0xFFFE || $0.value == 0xFFFF || isControl($0) }
    }

    /// The name's UTF-8 with every byte but unreserved ASCII (`A-Z a-z 0-9 - . _ ~`) and `/`
    /// written as `%XX` (RFC 2396/3986 percent-encoding).
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a request's `x-ms-version` gets encoded names (versions compare as text: they
    /// are all `YYYY-MM-DD`). A request without one is answered as the newest version.
    static func listsEncodedNames(version: String?) -> Bool {
        guard let version, !version.isEmpty else { return true }
        return version >= encodedNamesVersion
    }
}
