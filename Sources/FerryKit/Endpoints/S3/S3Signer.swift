import FerryChecksums
import FerryHTTP
import Foundation

/// AWS Signature Version 4 for S3 (PROTOCOLS.md B2): canonical request, string to sign, derived
/// signing key, `Authorization` header. Value type holding the secret; it never prints it
/// (its mirror is empty). Thread-safe: immutable.
struct S3Signer: Sendable, CustomReflectable {
    static let algorithm = "AWS4-HMAC-SHA256"
    static let unsignedPayload = "UNSIGNED-PAYLOAD"
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    let accessKeyID: String
    private let secret: String
    let sessionToken: String?
    let region: String

    init(accessKeyID: String, secret: String, sessionToken: String?, region: String) {
        self.accessKeyID = accessKeyID
        self.secret = secret
        self.sessionToken = sessionToken
        self.region = region
    }

    var customMirror: Mirror { Mirror(self, children: [:]) }

    /// `headers` plus `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (temporary
    /// credentials) and `Authorization`. Every given header is signed, and `host` too.
    /// `query` holds decoded (name, value) pairs; `payloadHash` is the hex SHA-256 of the body or
    /// `UNSIGNED-PAYLOAD`.
    func sign(method: String, host: String, encodedPath: String, query: [(String, String)], headers: [HTTPHeader],
              payloadHash: String, date: Date) -> [HTTPHeader] {
        let timestamp = Self.amzDate(date)
        var signed = headers
        signed.append(HTTPHeader("x-amz-date", timestamp))
        signed.append(HTTPHeader("x-amz-content-sha256", payloadHash))
        if let sessionToken { signed.append(HTTPHeader("x-amz-security-token", sessionToken)) }
        let canonical = Self.canonicalRequest(method: method, encodedPath: encodedPath, query: query,
                                              headers: [HTTPHeader("host", host)] + signed, payloadHash: payloadHash)
        let scope = "\(timestamp.prefix(8))/\(region)/s3/aws4_request"
        let stringToSign = Self.stringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonical.text)
        let key = Self.signingKey(secret: secret, dateStamp: String(timestamp.prefix(8)), region: region)
        let signature = Digests.hex(Digests.hmacSHA256(key: key, message: stringToSign))
        signed.append(HTTPHeader("Authorization",
            "\(Self.algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
        return signed
    }

    // MARK: The pieces, separately testable against the published vector.

    /// The canonical request text and its `SignedHeaders` list.
    static func canonicalRequest(method: String, encodedPath: String, query: [(String, String)], headers: [HTTPHeader],
                                 payloadHash: String) -> (text: String, signedHeaders: String) {
        var byName: [String: [String]] = [:]
        for header in headers {
            byName[header.name.lowercased(), default: []].append(canonicalValue(header.value))
        }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [method, encodedPath.isEmpty ? "/" : encodedPath, canonicalQuery(query), canonicalHeaders,
                    signedHeaders, payloadHash].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// Names and values RFC 3986-encoded, sorted by encoded name then value, `k=v` joined by `&`.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    static func stringToSign(timestamp: String, scope: String, canonicalRequest: String) -> String {
        "\(algorithm)\n\(timestamp)\n\(scope)\n\(Digests.hex(Digests.sha256(Data(canonicalRequest.utf8))))"
    }

    static func signingKey(secret: String, dateStamp: String, region: String) -> Data {
        let dateKey = Digests.hmacSHA256(key: Data("AWS4\(secret)".utf8), message: dateStamp)
        let regionKey = Digests.hmacSHA256(key: dateKey, message: region)
        let serviceKey = Digests.hmacSHA256(key: regionKey, message: "s3")
        return Digests.hmacSHA256(key: serviceKey, message: "aws4_request")
    }

    /// Trimmed, with runs of spaces collapsed to one.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC, on the C calendar functions (no shared formatter).
    static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let day: String = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        let time: String = pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
        return day + "T" + time + "Z"
    }

    // MARK: URI encoding (RFC 3986; S3 encodes each path segment once).

    /// Everything but `A-Za-z0-9-_.~` percent-encoded (UTF-8), so `/` → `%2F`, space → `%20`.
    static func encode(_ text: String) -> String { PercentEncoding.encode(text) }

    /// A key as a URI path: each `/`-separated segment encoded, the `/` kept.
    static func encodePath(_ key: String) -> String { PercentEncoding.encodePath(key) }
}
