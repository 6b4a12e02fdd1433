import Foundation

/// One page of a List Blobs answer (PROTOCOLS.md A7): blobs, directory prefixes (with a
/// delimiter) and the marker of the next page. Value type; safe to share between threads.
struct AzureListingPage: Sendable, Equatable {
    struct Blob: Sendable, Equatable {
        var name: String
        var sizeBytes: Int64 = 0
        var lastModified: Date?
        var etag: String?
        var contentType: String?
        var contentMD5: Data?
        /// Names lower-cased.
        var metadata: [String: String] = [:]
    }

    var blobs: [Blob] = []
    var prefixes: [String] = []
    /// nil when this was the last page.
    var nextMarker: String?

    /// Parses one `EnumerationResults` document: straight from its bytes when it has the shape
    /// the service sends (`parseCommonShape`), else through `AzureXMLScanner`.
    static func parse(_ data: Data) throws -> AzureListingPage {
        try parseCommonShape(data) ?? parseWithScanner(data)
    }

    /// Parses any `EnumerationResults` document in one pass over its bytes (`AzureXMLScanner`),
    /// throwing on a malformed one.
    static func parseWithScanner(_ data: Data) throws -> AzureListingPage {
        var page = AzureListingPage()
        var current = Blob(name: "")
        var nameIsEncoded = false
        var badName: String?
        // `<Name Encoded="true">`: percent-encoded UTF-8, for names XML 1.0 cannot carry (U+FFFE, U+FFFF).
        func name(_ text: String) -> String {
            guard nameIsEncoded else { return text }
            if let decoded = PercentEncoding.decode(text) { return decoded }
            badName = badName ?? text
            return text
        }
        try AzureXMLScanner.readLazily(data, onStart: { path, attributes in
            if path.count == 4, path[2] == "Blob" || path[2] == "BlobPrefix", path[3] == "Name" {
                nameIsEncoded = attributes["Encoded"]?.lowercased() == "true"
            }
            if path.count == 3, path[2] == "Blob", path[1] == "Blobs" { current = Blob(name: "") }
        }, onEnd: { path, text in
            switch path.count {
            case 2 where path[1] == "NextMarker":
                page.nextMarker = text.isEmpty ? nil : try text.string
            case 3 where path[2] == "Blob":
                page.blobs.append(current)
            case 4 where path[2] == "Blob" && path[3] == "Name":
                current.name = name(try text.string)
            case 4 where path[2] == "BlobPrefix" && path[3] == "Name":
                page.prefixes.append(name(try text.string))
            case 5 where path[2] == "Blob" && path[3] == "Properties":
                if let kept = KeptProperty(name: path[4]) { kept.apply(try text.string, to: &current) }
            case 5 where path[2] == "Blob" && path[3] == "Metadata":
                current.metadata[path[4].lowercased()] = try text.string
            default:
                break
            }
        })
        if let badName {
            throw FerryError(.protocolViolation, "the service listed an encoded blob name that is not percent-encoded UTF-8: "
                             + "'\(PrintableName.of(badName))'", disposition: .abortJob)
        }
        return page
    }

    /// The properties a listing entry keeps; the others' texts are never decoded. Both readers
    /// (`parseWithScanner`, `parseCommonShape`) apply them here. (Matched by a switch on the
    /// name, not a `Set` lookup: hashing 17 property names per blob was a tenth of a parse.)
    enum KeptProperty {
        case contentLength, lastModified, etag, contentType, contentMD5

        init?(name: String) {
            switch name {
            case "Content-Length": self = .contentLength
            case "Last-Modified": self = .lastModified
            case "Etag": self = .etag
            case "Content-Type": self = .contentType
            case "Content-MD5": self = .contentMD5
            default: return nil
            }
        }

        func apply(_ text: String, to blob: inout Blob) {
            switch self {
            case .contentLength: blob.sizeBytes = Int64(text) ?? 0
            case .lastModified: blob.lastModified = HTTPDate.parse(text)
            case .etag: blob.etag = text.isEmpty ? nil : AzureBlobProperties.unquote(text)
            case .contentType: blob.contentType = text.isEmpty ? nil : text
            case .contentMD5: blob.contentMD5 = text.isEmpty ? nil : Data(base64Encoded: text)
            }
        }
    }
}
