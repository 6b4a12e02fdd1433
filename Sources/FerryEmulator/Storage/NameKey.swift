import Foundation

/// A container name, blob name or block ID as the service sees it: its UTF-8 bytes. Equal,
/// hashed and ordered by those bytes, so it is the key of every index in the store.
///
/// Swift `String` equality and hashing are canonical equivalence: `caf\u{E9}` (NFC) equals
/// `cafe\u{301}` (NFD), and even `K` equals the Kelvin sign `\u{212A}`. Azure Storage keeps such
/// names as two blobs, so a `[String: …]` index would make one of them silently replace the
/// other ("Names are bytes", STYLE.md). `NameKey` wraps the original `String` without copying
/// it (the text is what the listing XML and the records carry). Value type; safe from any thread.
struct NameKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    let text: String

    init(_ text: String) { self.text = text }

    var description: String { text }

    static func == (lhs: NameKey, rhs: NameKey) -> Bool {
        lhs.text.utf8.count == rhs.text.utf8.count && !ByteOrder.less(lhs.text, rhs.text) && !ByteOrder.less(rhs.text, lhs.text)
    }

    static func < (lhs: NameKey, rhs: NameKey) -> Bool {
        ByteOrder.less(lhs.text, rhs.text)
    }

    func hash(into hasher: inout Hasher) {
        // `withUTF8` needs a mutable copy; a native string (every name here) is not copied.
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether the name starts with `prefix`, byte for byte (`String.hasPrefix` compares
    /// canonically equivalent characters, so an NFD prefix would match an NFC name).
    /// memcmp of the bytes (the generic `starts(with:)` over two UTF-8 views, a byte at a time,
    /// was a twentieth of a listing's CPU).
    func hasBytePrefix(_ prefix: String) -> Bool {
        var text = text, prefix = prefix
        return text.withUTF8 { name in
            prefix.withUTF8 { start in
                start.count <= name.count && (start.isEmpty || memcmp(name.baseAddress!, start.baseAddress!, start.count) == 0)
            }
        }
    }
}

/// Byte-wise (UTF-8) ordering of names, as the service lists them. Pure.
enum ByteOrder {
    /// memcmp over the two UTF-8 buffers (a native String's are contiguous): the generic
    /// `lexicographicallyPrecedes` made sorting a 600,000-name container take seconds.
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order < 0 || (order == 0 && left.count < right.count)
            }
        }
    }
}
