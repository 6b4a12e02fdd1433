#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A List Blobs answer being written as UTF-8 bytes. A page of 5,000 blobs is about 4 MB of XML;
/// built by appending Strings it cost the emulator more CPU than the client spent reading it.
/// Escaping is `XMLText.escape`'s, byte for byte. Value type; one writer.
struct XMLBytes {
    private(set) var bytes: [UInt8] = []
    /// The last second formatted (a page's blobs mostly share a few), and its text.
    private var formattedSecond: Int64?
    private var formattedDate: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup or text known to need no escaping.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Text or an attribute value, escaped as `XMLText.escape` does.
    mutating func escaped(_ text: String) {
        let utf8 = text.utf8
        if !utf8.contains(where: XMLText.needsEscape) {
            bytes.append(contentsOf: utf8)
        } else {
            bytes.append(contentsOf: XMLText.escape(text).utf8)
        }
    }

    mutating func decimal(_ value: Int64) {
        var digits: [UInt8] = []
        var rest = value.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: digits.reversed())
    }

    /// `HTTPDate.format(date)`, remembered for the last second asked.
    mutating func httpDate(_ date: Date) {
        let second = Int64(date.timeIntervalSince1970.rounded(.down))
        if second != formattedSecond {
            formattedSecond = second
            formattedDate = Array(HTTPDate.format(date).utf8)
        }
        bytes.append(contentsOf: formattedDate)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
