import Foundation

/// A place the user named on the command line: a local path, an `http(s)://` URL (Azure Blob, or
/// an S3 presigned URL) or `s3://BUCKET/PREFIX`, parsed just enough to apply the path-mapping
/// rules. Credentials stay in `original` (for opening the endpoint) and never reach `redacted` or
/// `root`. Value type; safe from any thread.
public struct EndpointLocation: Sendable, Hashable {
    /// `remote` is an http(s) URL; `s3` an `s3://` URL (keys taken literally, no query).
    public enum Kind: Sendable, Hashable { case local, remote, s3 }

    public let kind: Kind
    /// As given, minus a trailing `/*`; may hold a SAS (never print it).
    public let original: String
    /// `SRC/*`: copy the contents, not the directory.
    public let isContentsWildcard: Bool

    public init(_ text: String) throws {
        guard !text.isEmpty else { throw FerryError(.usage, "an empty path or URL was given", disposition: .abortJob) }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            kind = .remote
            let (path, query) = Self.splitQuery(text)
            isContentsWildcard = path.hasSuffix("/*")
            original = isContentsWildcard ? String(path.dropLast(2)) + query : text
        } else if lower.hasPrefix("s3://") {
            kind = .s3
            isContentsWildcard = text.hasSuffix("/*")
            original = isContentsWildcard ? String(text.dropLast(2)) : text
        } else if lower.contains("://") {
            throw FerryError(.usage, "'\(Redaction.url(text))' is not a local path, an http(s) URL or an s3:// URL", disposition: .abortJob)
        } else {
            kind = .local
            isContentsWildcard = text.hasSuffix("/*") || text == "*"
            original = isContentsWildcard ? (text == "*" ? "." : String(text.dropLast(2))) : text
        }
    }

    /// Safe to print and store.
    public var redacted: String { Redaction.url(original) }

    /// What a resumed job reopens: an absolute local path, or the URL without its query (no SAS).
    public var root: String {
        switch kind {
        case .local:
            if original.hasPrefix("/") { return original }
            let base = FileManager.default.currentDirectoryPath
            return original == "." ? base : base + "/" + original
        case .remote:
            return String(Self.splitQuery(original).path)
        case .s3:
            return original
        }
    }

    /// The URL path (local: the path) ends with `/`: a destination that keeps source names.
    public var endsWithSlash: Bool { kind == .s3 ? original.hasSuffix("/") : Self.splitQuery(original).path.hasSuffix("/") }

    /// Is this an S3 presigned URL (`X-Amz-Signature` in the query), a read-only S3 object?
    public var isPresignedS3: Bool {
        guard kind == .remote else { return false }
        let query = Self.splitQuery(original).query.lowercased()
        return query.contains("?x-amz-signature=") || query.contains("&x-amz-signature=")
    }

    /// The last non-empty path component, percent-decoded: the name a copied directory or file keeps.
    public var lastComponent: String {
        if kind == .s3 {
            // Keys are literal (no percent-decoding), as the AWS CLI takes them.
            let name = original.dropFirst(5).split(separator: "/").last.map(String.init) ?? ""
            return name == "." || name == ".." ? "" : name
        }
        let path = kind == .remote ? String(Self.pathAfterHost(String(Self.splitQuery(original).path))) : root
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let decoded = kind == .remote ? (name.removingPercentEncoding ?? name) : name
        return decoded == "." || decoded == ".." ? "" : decoded
    }

    /// For remote locations: the URL names a whole container or bucket (no blob prefix), which is
    /// always a "directory". Emulator URLs (IP or localhost hosts) carry the account first.
    public var isContainerRoot: Bool {
        if kind == .s3 { return original.dropFirst(5).split(separator: "/").count <= 1 }
        guard kind == .remote, !isPresignedS3 else { return false }
        let urlPath = String(Self.splitQuery(original).path)
        let host = urlPath.dropFirst(urlPath.hasPrefix("https://") ? 8 : 7).prefix { $0 != "/" }
        let components = Self.pathAfterHost(urlPath).split(separator: "/")
        let hostIsEmulator = host.hasPrefix("127.") || host.hasPrefix("localhost") || host.hasPrefix("[::1]")
        return components.count <= (hostIsEmulator ? 2 : 1)
    }

    private static func splitQuery(_ text: String) -> (path: Substring, query: Substring) {
        guard let mark = text.firstIndex(of: "?") else { return (Substring(text), "") }
        return (text[..<mark], text[mark...])
    }

    private static func pathAfterHost(_ url: String) -> Substring {
        guard let scheme = url.range(of: "://") else { return Substring(url) }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return rest[slash...]
    }
}
