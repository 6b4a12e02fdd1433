import Foundation

/// The XML of S3 DeleteObjects (`POST /BUCKET?delete`, PROTOCOLS.md B-series; AWS "DeleteObjects"):
/// the request body listing up to 1,000 keys, and the `DeleteResult` answer naming each key as
/// `Deleted` or as an `Error` with a code and message. Pure; safe from any thread.
enum S3DeleteObjectsXML {
    /// One `<Error>` entry of the answer.
    struct KeyError: Sendable, Equatable {
        var key: String
        var code: String
        var message: String
    }

    /// The parsed `DeleteResult`.
    struct Result: Sendable, Equatable {
        var deleted: [String] = []
        var errors: [KeyError] = []
    }

    /// Can `key` travel in the XML body and come back unchanged? XML 1.0 has no way to carry
    /// most control characters, and a parser turns a raw CR into LF, so such keys are deleted
    /// one by one instead.
    static func canCarry(_ key: String) -> Bool {
        !key.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF }
    }

    /// `<Delete><Quiet>false</Quiet><Object><Key>…</Key></Object>…</Delete>` (verbose mode: the
    /// answer names every key, so a key the answer leaves out is noticed).
    static func requestBody(keys: [String]) -> Data {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        text += "<Quiet>false</Quiet>"
        for key in keys {
            text += "<Object><Key>" + escape(key) + "</Key></Object>"
        }
        text += "</Delete>"
        return Data(text.utf8)
    }

    /// Escapes the five XML-special characters of element text.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Parses a `DeleteResult` answer; throws when it is not XML or not a `DeleteResult`.
    static func parseResult(_ data: Data) throws -> Result {
        var result = Result()
        var current = KeyError(key: "", code: "", message: "")
        var root: String?
        try AzureXMLReader.read(data, onStart: { path, _ in
            if path.count == 1 { root = path[0] }
            if path.count == 2, path[1] == "Error" { current = KeyError(key: "", code: "", message: "") }
        }, onEnd: { path, text in
            guard path.first == "DeleteResult" else { return }
            switch path.count {
            case 2 where path[1] == "Error":
                result.errors.append(current)
            case 3 where path[1] == "Deleted" && path[2] == "Key":
                result.deleted.append(text)
            case 3 where path[1] == "Error":
                switch path[2] {
                case "Key": current.key = text
                case "Code": current.code = text
                case "Message": current.message = text
                default: break
                }
            default:
                break
            }
        })
        guard root == "DeleteResult" else {
            throw AzureXMLError(reason: "the answer is <\(root ?? "")>, not <DeleteResult>", line: 1)
        }
        return result
    }
}
