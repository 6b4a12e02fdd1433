import Foundation

/// One page of a ListParts answer (PROTOCOLS.md B3): the parts of an unfinished multipart upload
/// and the marker of the next page. Value type; safe to share between threads.
struct S3ListPartsPage: Sendable, Equatable {
    struct Part: Sendable, Equatable {
        var partNumber: Int = 0
        var sizeBytes: Int64 = 0
        /// As the service sent it, quotes included: CompleteMultipartUpload wants it back so.
        var etag: String = ""
    }

    var parts: [Part] = []
    var isTruncated = false
    /// nil when this was the last page.
    var nextPartNumberMarker: Int?

    static func parse(_ data: Data) throws -> S3ListPartsPage {
        var page = S3ListPartsPage()
        var current = Part()
        try AzureXMLReader.read(data, onEnd: { path, text in
            guard path.first == "ListPartsResult" else { return }
            switch path.count {
            case 2:
                switch path[1] {
                case "IsTruncated": page.isTruncated = text.lowercased() == "true"
                case "NextPartNumberMarker": page.nextPartNumberMarker = Int(text)
                case "Part":
                    page.parts.append(current)
                    current = Part()
                default: break
                }
            case 3 where path[1] == "Part":
                switch path[2] {
                case "PartNumber": current.partNumber = Int(text) ?? 0
                case "Size": current.sizeBytes = Int64(text) ?? 0
                case "ETag": current.etag = text
                default: break
                }
            default:
                break
            }
        })
        if !page.isTruncated { page.nextPartNumberMarker = nil }
        return page
    }
}
