/// Reads a Put Block List body and writes a Get Block List answer (PROTOCOLS.md A5).
/// A small scanner of its own: the document has one flat shape. Pure; safe from any thread.
enum BlockListXML {
    static let maximumEntries = 50_000

    /// The entries in document order; throws InvalidXmlDocument or BlockListTooLong.
    static func parse(_ text: String) throws(ServiceError) -> [(BlockListSource, String)] {
        let invalid = ServiceError(status: 400, code: "InvalidXmlDocument", message: "XML specified is not syntactically valid.")
        var rest = Substring(text)
        var entries: [(BlockListSource, String)] = []
        var sawRoot = false
        var closedRoot = false
        while let open = rest.firstIndex(of: "<") {
            guard rest[..<open].allSatisfy(\.isWhitespace) else { throw invalid }
            guard let close = rest[open...].firstIndex(of: ">") else { throw invalid }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasPrefix("!") { continue }
            let name = tag.split(whereSeparator: { $0.isWhitespace }).first.map(String.init) ?? ""
            if name == "BlockList" && !sawRoot {
                sawRoot = true
                if tag.hasSuffix("/") { closedRoot = true }
                continue
            }
            if name == "/BlockList" && sawRoot && !closedRoot {
                closedRoot = true
                continue
            }
            guard sawRoot, !closedRoot, let source = BlockListSource(rawValue: name) else { throw invalid }
            guard let end = rest.range(of: "</\(name)>") else { throw invalid }
            guard let id = XMLText.unescape(rest[..<end.lowerBound]) else { throw invalid }
            rest = rest[end.upperBound...]
            entries.append((source, id.trimmingSpaces()))
            if entries.count > maximumEntries {
                throw ServiceError(status: 400, code: "BlockListTooLong",
                                   message: "The block list may not contain more than 50,000 blocks.")
            }
        }
        guard sawRoot, closedRoot, rest.allSatisfy(\.isWhitespace) else { throw invalid }
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
