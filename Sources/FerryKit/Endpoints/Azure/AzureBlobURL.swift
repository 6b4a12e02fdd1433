import Foundation

/// A parsed Azure Blob location: account, container, blob-name prefix, and a SAS if the URL had one.
///
/// Two forms are accepted:
/// - host form `https://ACCT.blob.core.windows.net/C/PREFIX` (any host with a `.blob.` label);
/// - path form `http(s)://IP-or-localhost[:PORT]/ACCT/C/PREFIX` (emulators).
/// The prefix is percent-decoded (and may be typed with raw spaces or Unicode); a trailing `/` is
/// dropped. Value type; safe to share between threads.
public struct AzureBlobURL: Sendable, Hashable {
    public var scheme: String
    /// Host, with `:port` when the URL had one.
    public var authority: String
    public var account: String
    public var container: String
    /// Decoded blob-name prefix under the container, without leading or trailing `/` ("" = whole container).
    public var prefix: String
    /// The SAS query (without `?`), exactly as given, or nil.
    public var sasQuery: String?
    /// Whether the account is the first path segment (emulator) rather than the host's first label.
    public var isPathStyle: Bool

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = trimmed.range(of: "://") else { throw Self.usage(text, "it does not start with https://") }
        scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw Self.usage(text, "the scheme must be https or http") }

        let afterScheme = trimmed[schemeEnd.upperBound...]
        let queryStart = afterScheme.firstIndex(of: "?")
        let beforeQuery = afterScheme[..<(queryStart ?? afterScheme.endIndex)]
        if let queryStart {
            let query = String(afterScheme[afterScheme.index(after: queryStart)...])
            sasQuery = query.isEmpty ? nil : query
        } else {
            sasQuery = nil
        }
        let pathStart = beforeQuery.firstIndex(of: "/") ?? beforeQuery.endIndex
        authority = String(beforeQuery[..<pathStart]).lowercased()
        guard !authority.isEmpty, !authority.contains("@") else { throw Self.usage(text, "it has no valid host") }
        var segments = beforeQuery[pathStart...].split(separator: "/", omittingEmptySubsequences: true).map(String.init)

        let host = Self.hostName(of: authority)
        if Self.isEmulatorHost(host) {
            isPathStyle = true
            guard !segments.isEmpty else { throw Self.usage(text, "an emulator URL needs /ACCOUNT/CONTAINER after the host") }
            account = segments.removeFirst()
        } else if host.contains(".blob.") {
            isPathStyle = false
            account = String(host.prefix(while: { $0 != "." }))
        } else {
            throw Self.usage(text, "the host is neither ACCOUNT.blob.core.windows.net nor an IP/localhost emulator")
        }
        guard !segments.isEmpty else { throw Self.usage(text, "it names no container") }
        container = Self.decode(segments.removeFirst())
        guard Self.isValidContainerName(container) else {
            throw Self.usage(text, "'\(container)' is not a container name (3-63 of a-z, 0-9, -)")
        }
        prefix = segments.map(Self.decode).joined(separator: "/")
    }

    /// `scheme://authority`: request URLs are this plus `encodedPath(blobName:)`.
    public var origin: String { "\(scheme)://\(authority)" }

    /// The blob service's URL: `scheme://authority` (host form) or `scheme://authority/ACCT` (path form).
    public var serviceRoot: String {
        isPathStyle ? "\(scheme)://\(authority)/\(account)" : "\(scheme)://\(authority)"
    }

    /// The URL path of `blobName` in this container (nil = the container itself), percent-encoded
    /// segment by segment, exactly as it goes on the wire and into the Shared Key resource string.
    public func encodedPath(blobName: String?) -> String {
        var path = isPathStyle ? "/\(Self.encodeSegment(account))" : ""
        path += "/\(Self.encodeSegment(container))"
        if let blobName {
            path += "/" + PercentEncoding.encodePath(blobName)
        }
        return path
    }

    /// The full name of the blob at `path` relative to the root (the root itself for "").
    public func blobName(for path: String) -> String {
        if prefix.isEmpty { return path }
        return path.isEmpty ? prefix : prefix + "/" + path
    }

    /// Safe to print: the SAS signature is removed.
    public var redactedDescription: String {
        let base = "\(scheme)://\(authority)\(encodedPath(blobName: prefix.isEmpty ? nil : prefix))"
        return Redaction.url(sasQuery.map { base + "?" + $0 } ?? base)
    }

    // MARK: Encoding rules

    /// RFC 3986 unreserved characters stay; everything else (including `+`, `=`, space) is encoded.
    static func encodeSegment(_ text: String) -> String { PercentEncoding.encode(text) }

    /// Percent-decodes; text with a stray `%` (not a valid escape) is taken literally.
    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    private static func hostName(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return String(authority.prefix(while: { $0 != ":" }))
    }

    private static func isEmulatorHost(_ host: String) -> Bool {
        if host == "localhost" || host.hasPrefix("[") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
    }

    private static func isValidContainerName(_ name: String) -> Bool {
        if name == "$root" || name == "$web" || name == "$logs" { return true }
        guard (3...63).contains(name.count), !name.contains("--"), name.first != "-" else { return false }
        return name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func usage(_ text: String, _ reason: String) -> FerryError {
        FerryError(.usage, "invalid Azure Blob URL '\(Redaction.url(text))': \(reason)", disposition: .abortJob)
    }
}
