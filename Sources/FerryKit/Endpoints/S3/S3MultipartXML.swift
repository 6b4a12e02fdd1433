import Foundation

/// The small XML documents of a multipart upload (PROTOCOLS.md B3) and S3's error body (B6).
/// Stateless; safe from any thread.
enum S3MultipartXML {
    /// `<InitiateMultipartUploadResult><UploadId>…`: the upload ID, or nil if the document has none.
    static func uploadID(fromInitiateResult data: Data) throws -> String? {
        var uploadID: String?
        try AzureXMLReader.read(data, onEnd: { path, text in
            if path == ["InitiateMultipartUploadResult", "UploadId"], !text.isEmpty { uploadID = text }
        })
        return uploadID
    }

    /// The CompleteMultipartUpload body: parts in the order given (ascending part numbers), each
    /// with its ETag exactly as UploadPart returned it.
    static func completeBody(parts: [(partNumber: Int, etag: String)]) -> Data {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        for part in parts {
            xml += "<Part><PartNumber>\(part.partNumber)</PartNumber><ETag>\(escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return Data(xml.utf8)
    }

    /// What a 200 answer to CompleteMultipartUpload (or CopyObject) held: S3 may send 200 and
    /// then, after its keep-alive whitespace, an `<Error>` document.
    enum CompletionOutcome: Sendable, Equatable {
        case completed(etag: String?)
        case failed(code: String?, message: String?)
    }

    static func completionOutcome(_ body: Data) throws -> CompletionOutcome {
        // The keep-alive whitespace comes before the XML declaration, where XML allows none.
        let data = Data(body.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }))
        var root: String?
        var etag: String?
        try AzureXMLReader.read(data, onStart: { path, _ in
            if path.count == 1 { root = path[0] }
        }, onEnd: { path, text in
            if path.count == 2, path[1] == "ETag" { etag = text }
        })
        if root == "Error" {
            let body = errorBody(data)
            return .failed(code: body.code, message: body.message)
        }
        return .completed(etag: etag)
    }

    /// `<Error><Code/><Message/></Error>`: the code and the message's first line (nil, nil when
    /// the body is empty or not XML: HEAD answers have no body).
    static func errorBody(_ data: Data) -> (code: String?, message: String?) {
        guard !data.isEmpty else { return (nil, nil) }
        var code: String?
        var message: String?
        try? AzureXMLReader.read(data, onEnd: { path, text in
            guard path.count == 2, path[0] == "Error" else { return }
            if path[1] == "Code", !text.isEmpty { code = text }
            if path[1] == "Message", !text.isEmpty { message = text.split(separator: "\n").first.map(String.init) }
        })
        return (code, message)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
