import Foundation

/// A place the user named on the command line: a local path or an `http(s)://` URL, parsed just
/// enough to apply the path-mapping rules. Credentials stay in `original` (for opening the
/// endpoint) and never reach `redacted` or `root`. Value type; safe from any thread.
public struct EndpointLocation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case local, remote }

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
        } else if lower.contains("://") {
            throw FerryError(.usage, "'\(Redaction.url(text))' is not a local path or an http(s) URL", disposition: .abortJob)
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
        }
    }

    /// The URL path (local: the path) ends with `/`: a destination that keeps source names.
    public var endsWithSlash: Bool { Self.splitQuery(original).path.hasSuffix("/") }

    /// The last non-empty path component, percent-decoded: the name a copied directory or file keeps.
    public var lastComponent: String {
        let path = kind == .remote ? String(Self.pathAfterHost(String(Self.splitQuery(original).path))) : root
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let decoded = kind == .remote ? (name.removingPercentEncoding ?? name) : name
        return decoded == "." || decoded == ".." ? "" : decoded
    }

    /// For remote locations: the URL names a whole container (no blob prefix), which is
    /// always a "directory". Emulator URLs (IP or localhost hosts) carry the account first.
    public var isContainerRoot: Bool {
        guard kind == .remote else { return false }
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
