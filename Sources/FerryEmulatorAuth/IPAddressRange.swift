import Foundation

/// A SAS `sip` value: one address (`10.0.0.1`) or an inclusive IPv4 range (`10.0.0.1-10.0.0.9`).
/// IPv4 compares numerically; anything else (IPv6) only by exact text. Immutable value; Sendable.
struct IPAddressRange: Sendable {
    let lower: String
    let upper: String

    init(_ text: String) {
        let bounds = text.split(separator: "-", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        lower = bounds.first ?? ""
        upper = bounds.count == 2 ? bounds[1] : lower
    }

    func contains(_ address: String) -> Bool {
        let address = Self.unmappingIPv4(address)
        guard let value = Self.ipv4Value(address), let low = Self.ipv4Value(lower), let high = Self.ipv4Value(upper) else {
            return address == lower || address == upper
        }
        return low <= value && value <= high
    }

    /// `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) → `127.0.0.1`.
    private static func unmappingIPv4(_ address: String) -> String {
        address.lowercased().hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }

    private static func ipv4Value(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
