/// Reads a Put Block List body and writes a Get Block List answer (PROTOCOLS.md A5).
/// A small scanner of its own: the document has one flat shape. Pure; safe from any thread.
enum BlockListXML {
    static let maximumEntries = 50_000

    /// The entries in document order; throws InvalidXmlDocument or BlockListTooLong. Scans
    /// UTF-8 bytes (a 50,000-entry list must parse in milliseconds).
    static func parse(_ text: String) throws(ServiceError) -> [(BlockListSource, String)] {
        let invalid = ServiceError(status: 400, code: "InvalidXmlDocument", message: "XML specified is not syntactically valid.")
        let bytes = Array(text.utf8)
        var index = 0
        var entries: [(BlockListSource, String)] = []
        var sawRoot = false
        var closedRoot = false
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        func find(_ byte: UInt8, from start: Int) -> Int? {
            var position = start
            while position < bytes.count {
                if bytes[position] == byte { return position }
                position += 1
            }
            return nil
        }
        while index < bytes.count {
            if isSpace(bytes[index]) {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "<"), let close = find(UInt8(ascii: ">"), from: index) else { throw invalid }
            var tag = bytes[(index + 1)..<close]
            index = close + 1
            if tag.first == UInt8(ascii: "?") || tag.first == UInt8(ascii: "!") { continue }
            let selfClosing = tag.last == UInt8(ascii: "/")
            if selfClosing { tag = tag.dropLast() }
            let name = String(decoding: tag.prefix { !isSpace($0) }, as: UTF8.self)
            if name == "BlockList" && !sawRoot {
                sawRoot = true
                closedRoot = selfClosing
                continue
            }
            if name == "/BlockList" && sawRoot && !closedRoot {
                closedRoot = true
                continue
            }
            guard sawRoot, !closedRoot, let source = BlockListSource(rawValue: name) else { throw invalid }
            if selfClosing {
                entries.append((source, ""))
            } else {
                guard let end = find(UInt8(ascii: "<"), from: index),
                      let endClose = find(UInt8(ascii: ">"), from: end),
                      String(decoding: bytes[(end + 1)..<endClose], as: UTF8.self) == "/" + name,
                      let id = XMLText.unescape(Substring(String(decoding: bytes[index..<end], as: UTF8.self))) else {
                    throw invalid
                }
                index = endClose + 1
                entries.append((source, id.trimmingSpaces()))
            }
            if entries.count > maximumEntries {
                throw ServiceError(status: 400, code: "BlockListTooLong",
                                   message: "The block list may not contain more than 50,000 blocks.")
            }
        }
        guard sawRoot, closedRoot else { throw invalid }
        return entries
    }

    /// `<BlockList>` with the committed and/or uncommitted sections.
    static func render(committed: [ListedBlock]?, uncommitted: [ListedBlock]?) -> String {
        func section(_ name: String, _ blocks: [ListedBlock]) -> String {
            "<\(name)>" + blocks.map { "<Block><Name>\(XMLText.escape($0.id))</Name><Size>\($0.size)</Size></Block>" }.joined()
                + "</\(name)>"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>"
        if let committed { xml += section("CommittedBlocks", committed) }
        if let uncommitted { xml += section("UncommittedBlocks", uncommitted) }
        return xml + "</BlockList>"
    }
}
