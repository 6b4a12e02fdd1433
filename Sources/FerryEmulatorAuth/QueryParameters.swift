import Foundation

/// A request's query string split into percent-decoded `(name, value)` pairs, in wire order.
/// Decoding is percent-decoding only: `+` stays `+` (the service and Python's `unquote` agree;
/// Azurite's `+`→space is a known divergence, PROTOCOLS.md A3). Immutable value; Sendable.
struct QueryParameters: Sendable {
    let pairs: [(name: String, value: String)]

    init(rawQuery: String) {
        pairs = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { item in
            guard let equals = item.firstIndex(of: "=") else {
                return (name: Self.percentDecode(item), value: "")
            }
            return (name: Self.percentDecode(item[..<equals]),
                    value: Self.percentDecode(item[item.index(after: equals)...]))
        }
    }

    /// The first value of `name` (exact, case-sensitive: SAS field names are lower-case on the wire).
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// `\nname:v1,v2` lines for the Shared Key canonicalized resource: names lower-cased and
    /// sorted, each name's values sorted and comma-joined.
    var canonicalizedLines: String {
        var valuesByName: [String: [String]] = [:]
        for pair in pairs { valuesByName[pair.name.lowercased(), default: []].append(pair.value) }
        return valuesByName.keys.sorted(by: ordinalLess).map { name in
            "\n\(name):" + valuesByName[name, default: []].sorted(by: ordinalLess).joined(separator: ",")
        }.joined()
    }

    /// Decodes `%XX` escapes as UTF-8. A malformed escape is kept literally rather than failing,
    /// so a bad query yields a signature mismatch (with the string-to-sign to compare), not a crash.
    static func percentDecode(_ text: some StringProtocol) -> String {
        // `utf8.contains`, not `contains("%")`: Foundation's string search costs far more per request.
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%"), input.count >= 2,
               let high = hexValue(input[input.startIndex]), let low = hexValue(input[input.startIndex + 1]) {
                bytes.append(high << 4 | low)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Ordinal (code-point) order: what the service means by "sorted" for names and values.
/// Swift's `<` on `String` compares by Unicode canonical equivalence, which can differ.
func ordinalLess(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
