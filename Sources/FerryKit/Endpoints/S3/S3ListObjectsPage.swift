import Foundation

/// One page of a ListObjectsV2 answer (PROTOCOLS.md B3): objects, common prefixes (with a
/// delimiter) and the continuation token of the next page. With `encoding-type=url` the service
/// percent-encodes keys and prefixes (a space may come as `+`), so control characters that XML
/// 1.0 cannot carry survive. Value type; safe to share between threads.
struct S3ListObjectsPage: Sendable, Equatable {
    struct Object: Sendable, Equatable {
        var key: String = ""
        var sizeBytes: Int64 = 0
        var lastModified: Date?
        var etag: String?
    }

    var objects: [Object] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    /// nil when this was the last page.
    var nextContinuationToken: String?

    static func parse(_ data: Data) throws -> S3ListObjectsPage {
        var page = S3ListObjectsPage()
        var current = Object()
        var urlEncoded = false
        try AzureXMLReader.read(data, onEnd: { path, text in
            guard path.first == "ListBucketResult" else { return }
            switch path.count {
            case 2:
                switch path[1] {
                case "IsTruncated": page.isTruncated = text.lowercased() == "true"
                case "NextContinuationToken": page.nextContinuationToken = text.isEmpty ? nil : text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Contents":
                    page.objects.append(current)
                    current = Object()
                default: break
                }
            case 3 where path[1] == "Contents":
                switch path[2] {
                case "Key": current.key = text
                case "Size": current.sizeBytes = Int64(text) ?? 0
                case "LastModified": current.lastModified = S3Timestamp.parse(text)
                case "ETag": current.etag = text.isEmpty ? nil : S3ObjectHeaders.unquote(text)
                default: break
                }
            case 3 where path[1] == "CommonPrefixes" && path[2] == "Prefix":
                page.commonPrefixes.append(text)
            default:
                break
            }
        })
        // EncodingType comes before the entries in practice but is not promised to: decode last.
        if urlEncoded {
            page.objects = page.objects.map { var object = $0; object.key = decodeURLEncoded(object.key); return object }
            page.commonPrefixes = page.commonPrefixes.map(decodeURLEncoded)
        }
        if !page.isTruncated { page.nextContinuationToken = nil }
        return page
    }

    /// Form-style decoding: `+` is a space (a literal `+` arrives as `%2B`), then percent escapes.
    static func decodeURLEncoded(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
