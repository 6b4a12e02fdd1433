import FerryChecksums
import FerryHTTP
import Foundation

/// Computes Shared Key signatures (`Authorization: SharedKey ACCT:SIG`) the way the service checks
/// them (PROTOCOLS.md A3). Stateless apart from the key; safe to share between threads.
struct AzureSharedKeySigner: Sendable {
    let account: String
    let key: Data

    /// The standard headers whose values, in this order, open the string to sign.
    static let standardHeaders = [
        "content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
        "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range",
    ]

    /// The `Authorization` header value for a request.
    /// - Parameters:
    ///   - encodedPath: the URL path exactly as sent (still percent-encoded), starting with `/`.
    ///   - query: decoded query parameters (name, value).
    ///   - headers: every header that will be sent, except `Content-Length`.
    ///   - contentLength: the body size (signed as empty when 0).
    func authorization(method: String, encodedPath: String, query: [(String, String)],
                       headers: [HTTPHeader], contentLength: Int) -> String {
        let text = stringToSign(method: method, encodedPath: encodedPath, query: query,
                                headers: headers, contentLength: contentLength)
        let signature = Digests.hmacSHA256(key: key, message: text).base64EncodedString()
        return "SharedKey \(account):\(signature)"
    }

    func stringToSign(method: String, encodedPath: String, query: [(String, String)],
                      headers: [HTTPHeader], contentLength: Int) -> String {
        var byName: [String: String] = [:]
        for header in headers { byName[header.name.lowercased()] = header.value }
        byName["content-length"] = contentLength > 0 ? String(contentLength) : ""

        var lines = [method.uppercased()]
        lines += Self.standardHeaders.map { byName[$0] ?? "" }
        let canonicalHeaders = byName.filter { $0.key.hasPrefix("x-ms-") }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\($0.key):\(Self.collapseWhitespace($0.value))" }
        lines += canonicalHeaders

        var resource = "/\(account)\(encodedPath)"
        var grouped: [String: [String]] = [:]
        for (name, value) in query { grouped[name.lowercased(), default: []].append(value) }
        for name in grouped.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let values = grouped[name, default: []].sorted().joined(separator: ",")
            resource += "\n\(name):\(values)"
        }
        lines.append(resource)
        return lines.joined(separator: "\n")
    }

    private static func collapseWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
