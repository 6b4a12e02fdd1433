import Foundation

/// Builds the Shared Key string-to-sign the service computes for a request (PROTOCOLS.md A3):
/// verb, 11 standard headers, canonicalized `x-ms-*` headers, canonicalized resource.
/// Written from the documented rules only; it shares nothing with the client's signer.
/// Immutable value; Sendable.
struct SharedKeyStringToSign: Sendable {
    /// How `x-ms-*` values are canonicalized. The documented rule collapses whitespace runs; the
    /// Microsoft SDKs sign values as given, and the service evidently accepts inner runs that way
    /// (only leading/trailing spaces are known to break signatures), so `.trimmed` is the fallback.
    enum ValueForm: Sendable { case collapsed, trimmed }

    /// The forms the verifier tries, documented one first; the first is echoed on a mismatch.
    static let attempts: [(order: HeaderNameOrder, values: ValueForm)] = [
        (.ordinal, .collapsed), (.serviceCollation, .collapsed), (.ordinal, .trimmed), (.serviceCollation, .trimmed),
    ]

    /// The standard headers, in string-to-sign order.
    static let standardHeaders = [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ]

    /// From this version on, `Content-Length: 0` is signed as an empty line.
    private static let emptyZeroLengthVersion = "2015-02-21"

    let accountName: String

    func build(for request: ReceivedRequest, headerOrder: HeaderNameOrder, values: ValueForm = .collapsed) -> String {
        var lines = [request.method.uppercased()]
        let version = request.headerValue("x-ms-version") ?? ""
        for name in Self.standardHeaders {
            var value = request.headerValue(name) ?? ""
            if name == "Content-Length", value == "0", version.isEmpty || version >= Self.emptyZeroLengthVersion {
                value = ""
            }
            lines.append(value)
        }
        let canonicalHeaders = headerOrder.sorted(request.microsoftHeaders).map { header in
            let value = values == .collapsed ? Self.canonicalHeaderValue(header.value)
                : header.value.trimmingCharacters(in: .whitespaces)
            return "\(header.name):\(value)\n"
        }
        return lines.joined(separator: "\n") + "\n" + canonicalHeaders.joined() + canonicalizedResource(for: request)
    }

    /// `/{account}{raw path}` then the sorted, decoded query lines. In path style the path itself
    /// starts with the account, so it appears twice: `/devstoreaccount1/devstoreaccount1/c/b`.
    func canonicalizedResource(for request: ReceivedRequest) -> String {
        "/\(accountName)\(request.rawPath)" + request.query.canonicalizedLines
    }

    /// Trimmed, with each run of spaces or tabs collapsed to one space.
    static func canonicalHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
