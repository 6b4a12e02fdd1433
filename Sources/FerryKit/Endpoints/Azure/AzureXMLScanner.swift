import Foundation

/// A small XML scanner over bytes for the documents Azure sends (listings, block lists, errors):
/// elements, attributes, text, the five named entities and numeric references, CDATA; comments,
/// processing instructions and the declaration are skipped. It calls the same handlers as
/// `AzureXMLReader` (path of element names from the root, attributes; the element's text), and
/// throws on a mismatched or missing end tag, so a cut-off answer never passes as a short one.
/// A listing page of 5,000 blobs went through FoundationXML's parser at a third of a no-op
/// sync's CPU; this walks the bytes once. Stateless; safe from any thread.
enum AzureXMLScanner {
    /// An element's text as the scanner holds it, valid only during the `onEnd` call: `string`
    /// decodes it on demand, so elements a reader ignores (most of a listing's properties) never
    /// become Strings.
    struct Text {
        fileprivate let raw: UnsafeBufferPointer<UInt8>

        /// The text with its references replaced; throws on a malformed reference.
        var string: String { get throws { try AzureXMLScanner.decode(raw) } }
        var isEmpty: Bool { raw.isEmpty }
    }

    typealias LazyEndHandler = (_ path: [String], _ text: Text) throws -> Void

    static func read(_ data: Data, onStart: AzureXMLReader.StartHandler = { _, _ in },
                     onEnd: AzureXMLReader.EndHandler) throws {
        try readLazily(data, onStart: onStart, onEnd: { path, text in onEnd(path, try text.string) })
    }

    /// `read` whose end handler decodes only the texts it wants.
    static func readLazily(_ data: Data, onStart: AzureXMLReader.StartHandler = { _, _ in },
                           onEnd: LazyEndHandler) throws {
        try data.withUnsafeBytes { raw in
            try scan(raw.bindMemory(to: UInt8.self), onStart: onStart, onEnd: onEnd)
        }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, onStart: AzureXMLReader.StartHandler,
                             onEnd: LazyEndHandler) throws {
        var path: [String] = []
        var names = ElementNames()
        var text: [UInt8] = []
        var sawRoot = false
        var index = 0
        let count = bytes.count
        func fail(_ reason: String) -> AzureXMLError { AzureXMLError(reason: reason, line: 0) }
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            var at = start
            while at + needle.count <= count {
                if bytes[at] == needle[0] {
                    var matched = true
                    for offset in 1..<needle.count where bytes[at + offset] != needle[offset] { matched = false; break }
                    if matched { return at }
                }
                at += 1
            }
            return nil
        }
        while index < count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "<") else {
                // The whole run of text up to the next tag at once (memchr, not byte by byte).
                let base = UnsafeRawPointer(bytes.baseAddress!)
                var end = count
                if let found = memchr(base + index, Int32(UInt8(ascii: "<")), count - index) {
                    end = base.distance(to: UnsafeRawPointer(found))
                }
                if !path.isEmpty { text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end])) }
                index = end
                continue
            }
            guard index + 1 < count else { throw fail("the document ends early") }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "?") {
                guard let end = find(Array("?>".utf8), from: index + 2) else { throw fail("an unclosed declaration") }
                index = end + 2
            } else if next == UInt8(ascii: "!") {
                if let end = cdataEnd(bytes, index, find) {
                    // Kept literally: its '&' is escaped for the one decode of the text that follows.
                    for byte in bytes[(index + 9)..<end] {
                        if byte == UInt8(ascii: "&") { text.append(contentsOf: Array("&amp;".utf8)) } else { text.append(byte) }
                    }
                    index = end + 3
                } else if index + 3 < count, bytes[index + 2] == UInt8(ascii: "-"), bytes[index + 3] == UInt8(ascii: "-") {
                    guard let end = find(Array("-->".utf8), from: index + 4) else { throw fail("an unclosed comment") }
                    index = end + 3
                } else {
                    guard let end = find([UInt8(ascii: ">")], from: index + 2) else { throw fail("an unclosed declaration") }
                    index = end + 1
                }
            } else if next == UInt8(ascii: "/") {
                guard let end = find([UInt8(ascii: ">")], from: index + 2) else { throw fail("an unclosed end tag") }
                let name = trimmed(bytes[(index + 2)..<end])
                guard let open = path.last, Self.same(open, name) else {
                    throw fail("end tag </\(String(decoding: name, as: UTF8.self))> does not match")
                }
                try text.withUnsafeBufferPointer { try onEnd(path, Text(raw: $0)) }
                text.removeAll(keepingCapacity: true)
                path.removeLast()
                index = end + 1
            } else {
                guard let end = tagEnd(bytes, from: index + 1) else { throw fail("an unclosed start tag") }
                let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
                let inner = bytes[(index + 1)..<(selfClosing ? end - 1 : end)]
                let nameEnd = inner.firstIndex { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 } ?? inner.endIndex
                guard nameEnd > inner.startIndex else { throw fail("a start tag without a name") }
                if sawRoot && path.isEmpty { throw fail("content after the root element") }
                path.append(names.name(inner[inner.startIndex..<nameEnd]))
                sawRoot = true
                text.removeAll(keepingCapacity: true)
                onStart(path, try attributes(inner[nameEnd...]))
                if selfClosing {
                    try onEnd(path, Text(raw: UnsafeBufferPointer(start: nil, count: 0)))
                    path.removeLast()
                }
                index = end + 1
            }
        }
        guard sawRoot, path.isEmpty else { throw fail(sawRoot ? "the document ends early" : "no XML element") }
    }

    /// The `>` closing a start tag, skipping quoted attribute values.
    private static func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var quote: UInt8?
        var at = start
        while at < bytes.count {
            let byte = bytes[at]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return at
            }
            at += 1
        }
        return nil
    }

    /// Where `<![CDATA[…]]>` starting at `start` ends (the `]]>`), or nil if it is not CDATA.
    private static func cdataEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int,
                                 _ find: ([UInt8], Int) -> Int?) -> Int? {
        let opener = Array("<![CDATA[".utf8)
        guard start + opener.count <= bytes.count else { return nil }
        for offset in 0..<opener.count where bytes[start + offset] != opener[offset] { return nil }
        return find(Array("]]>".utf8), start + opener.count)
    }

    private static func attributes(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws -> [String: String] {
        var result: [String: String] = [:]
        var at = bytes.startIndex
        while at < bytes.endIndex {
            while at < bytes.endIndex, bytes[at] == 32 || bytes[at] == 9 || bytes[at] == 10 || bytes[at] == 13 { at += 1 }
            guard at < bytes.endIndex else { break }
            guard let equals = bytes[at...].firstIndex(of: UInt8(ascii: "=")), equals + 1 < bytes.endIndex else {
                throw AzureXMLError(reason: "an attribute without a value", line: 0)
            }
            let quote = bytes[equals + 1]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"),
                  let close = bytes[(equals + 2)...].firstIndex(of: quote) else {
                throw AzureXMLError(reason: "an unquoted attribute", line: 0)
            }
            let name = String(decoding: trimmed(bytes[at..<equals]), as: UTF8.self)
            result[name] = try Array(bytes[(equals + 2)..<close]).withUnsafeBufferPointer { try decode($0) }
            at = close + 1
        }
        return result
    }

    private static func trimmed<C: BidirectionalCollection>(_ bytes: C) -> C.SubSequence where C.Element == UInt8 {
        let isSpace: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.endIndex
        let end = bytes.lastIndex { !isSpace($0) }.map { bytes.index(after: $0) } ?? start
        return bytes[start..<max(start, end)]
    }

    /// Text with its entity and character references replaced.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var at = 0
        while at < bytes.count {
            guard bytes[at] == UInt8(ascii: "&") else { out.append(bytes[at]); at += 1; continue }
            guard let semicolon = bytes[at...].firstIndex(of: UInt8(ascii: ";")) else {
                throw AzureXMLError(reason: "an unterminated entity", line: 0)
            }
            let name = String(decoding: bytes[(at + 1)..<semicolon], as: UTF8.self)
            switch name {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let isHex = name.hasPrefix("#x") || name.hasPrefix("#X")
                guard name.hasPrefix("#"), let value = UInt32(name.dropFirst(isHex ? 2 : 1), radix: isHex ? 16 : 10),
                      let scalar = Unicode.Scalar(value) else {
                    throw AzureXMLError(reason: "an unknown entity &\(name);", line: 0)
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            at = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Does the element name `open` have exactly these bytes? (memcmp: the generic
    /// `elementsEqual` over a String's UTF-8 view was a tenth of a listing's parse.)
    private static func same(_ open: String, _ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var open = open
        let buffer = UnsafeBufferPointer(rebasing: bytes)
        return open.withUTF8 { stored in
            stored.count == buffer.count && (buffer.isEmpty || memcmp(stored.baseAddress!, buffer.baseAddress!, buffer.count) == 0)
        }
    }

    /// Element names seen in this document, so each start tag finds its String instead of making
    /// one (a listing page repeats the same two dozen names 5,000 times). A small table probed by
    /// the bytes' hash (no `Hasher`: a Dictionary lookup per tag was a sixth of a parse); names
    /// past its size are made each time. Not thread-safe.
    private struct ElementNames {
        private static let slots = 64
        private var table = [(hash: Int, bytes: [UInt8], name: String)?](repeating: nil, count: ElementNames.slots)

        mutating func name(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
            let buffer = UnsafeBufferPointer(rebasing: bytes)
            var hash = 5381
            for byte in buffer { hash = (hash &* 33) &+ Int(byte) }
            var slot = hash & (Self.slots - 1)
            for _ in 0..<Self.slots {
                guard let entry = table[slot] else {
                    let name = String(decoding: buffer, as: UTF8.self)
                    table[slot] = (hash, Array(buffer), name)
                    return name
                }
                if entry.hash == hash, entry.bytes.count == buffer.count,
                   entry.bytes.withUnsafeBufferPointer({ stored in
                       buffer.isEmpty || memcmp(stored.baseAddress!, buffer.baseAddress!, buffer.count) == 0
                   }) {
                    return entry.name
                }
                slot = (slot + 1) & (Self.slots - 1)
            }
            return String(decoding: buffer, as: UTF8.self)
        }
    }
}
