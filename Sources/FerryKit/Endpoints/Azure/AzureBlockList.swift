import Foundation

/// The XML of Put Block List (request) and Get Block List (response), PROTOCOLS.md A5.
/// Stateless; safe from any thread.
enum AzureBlockList {
    struct Block: Sendable, Equatable {
        var id: String
        var sizeBytes: Int64
    }

    /// The Put Block List body: every ID as `<Latest>` (staged first, else committed), in blob order.
    static func commitBody(blockIDs: [String]) -> Data {
        var xml = #"<?xml version="1.0" encoding="utf-8"?><BlockList>"#
        for id in blockIDs { xml += "<Latest>\(escape(id))</Latest>" }
        xml += "</BlockList>"
        return Data(xml.utf8)
    }

    /// Parses a Get Block List answer into its committed and uncommitted blocks.
    static func parse(_ data: Data) throws -> (committed: [Block], uncommitted: [Block]) {
        var committed: [Block] = []
        var uncommitted: [Block] = []
        var current = Block(id: "", sizeBytes: 0)
        try AzureXMLReader.read(data, onEnd: { path, text in
            guard path.count >= 3, path[0] == "BlockList", path[2] == "Block" else { return }
            switch path.count {
            case 4 where path[3] == "Name": current.id = text
            case 4 where path[3] == "Size": current.sizeBytes = Int64(text) ?? 0
            case 3:
                if path[1] == "CommittedBlocks" { committed.append(current) }
                if path[1] == "UncommittedBlocks" { uncommitted.append(current) }
                current = Block(id: "", sizeBytes: 0)
            default: break
            }
        })
        return (committed, uncommitted)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
