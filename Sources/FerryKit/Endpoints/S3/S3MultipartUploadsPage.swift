import Foundation

/// One page of a ListMultipartUploads answer: the unfinished uploads under a prefix, ordered by
/// key and then by initiation time, and where the next page starts. Value type.
struct S3MultipartUploadsPage: Sendable, Equatable {
    struct Upload: Sendable, Equatable {
        var key = ""
        var uploadID = ""
        /// ISO 8601 as the service sent it (`2026-11-25T07:36:29.000Z`): one format per service,
        /// so the text orders as the times do.
        var initiated = ""
    }

    var uploads: [Upload] = []
    var isTruncated = false
    var nextKeyMarker: String?
    var nextUploadIDMarker: String?

    static func parse(_ data: Data) throws -> S3MultipartUploadsPage {
        var page = S3MultipartUploadsPage()
        var current = Upload()
        try AzureXMLReader.read(data, onEnd: { path, text in
            guard path.first == "ListMultipartUploadsResult" else { return }
            switch path.count {
            case 2:
                switch path[1] {
                case "IsTruncated": page.isTruncated = text.lowercased() == "true"
                case "NextKeyMarker": page.nextKeyMarker = text
                case "NextUploadIdMarker": page.nextUploadIDMarker = text
                case "Upload":
                    page.uploads.append(current)
                    current = Upload()
                default: break
                }
            case 3 where path[1] == "Upload":
                switch path[2] {
                case "Key": current.key = text
                case "UploadId": current.uploadID = text
                case "Initiated": current.initiated = text
                default: break
                }
            default:
                break
            }
        })
        return page
    }
}

extension S3ListPartsPage.Part {
    /// The MD5 of the part's bytes, when its ETag is one (32 hex digits, quoted or not). Parts
    /// stored with SSE-KMS or SSE-C have other ETags: nil, and nothing is concluded from them.
    var contentMD5: Data? {
        let hex = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard hex.utf8.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        var bytes = Data(capacity: 16)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
