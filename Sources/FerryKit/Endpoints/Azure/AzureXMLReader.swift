import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming (SAX) walk over one XML document: calls `onStart` and `onEnd` with the path of
/// element names from the root, and `onEnd` with the element's own text. Used for one listing
/// page, block list or error body at a time; the document is never turned into a tree.
/// Not thread-safe: one parse per instance.
final class AzureXMLReader: NSObject, XMLParserDelegate {
    typealias StartHandler = (_ path: [String], _ attributes: [String: String]) -> Void
    typealias EndHandler = (_ path: [String], _ text: String) -> Void

    private var path: [String] = []
    private var sawRoot = false
    private var text = ""
    private let onStart: StartHandler
    private let onEnd: EndHandler

    private init(onStart: @escaping StartHandler, onEnd: @escaping EndHandler) {
        self.onStart = onStart
        self.onEnd = onEnd
    }

    /// Parses `data`; throws a description of the first XML error.
    static func read(_ data: Data, onStart: @escaping StartHandler = { _, _ in }, onEnd: @escaping EndHandler) throws {
        let reader = AzureXMLReader(onStart: onStart, onEnd: onEnd)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown XML error"
            throw AzureXMLError(reason: reason, line: parser.lineNumber)
        }
        // Some XMLParser builds accept a truncated document; a cut-off answer must not pass as a
        // short one (a listing page that silently lost its tail).
        guard reader.sawRoot, reader.path.isEmpty else {
            throw AzureXMLError(reason: reader.sawRoot ? "the document ends early" : "no XML element", line: parser.lineNumber)
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        path.append(elementName)
        sawRoot = true
        text = ""
        onStart(path, attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        onEnd(path, text)
        text = ""
        path.removeLast()
    }
}

/// An XML document that could not be parsed.
struct AzureXMLError: Error, CustomStringConvertible {
    var reason: String
    var line: Int
    var description: String { "XML error at line \(line): \(reason)" }
}
