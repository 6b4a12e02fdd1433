import Foundation

/// The Entra ID authority a service principal or workload identity signs in at:
/// `AZURE_AUTHORITY_HOST` (default the public cloud), plus a tenant. Secrets are sent there, so it
/// must be https unless it is this machine (an emulator). Value type; safe to share between threads.
public struct EntraAuthority: Sendable, Hashable {
    public static let publicCloud = "https://login.microsoftonline.com"

    /// `https://host[:port]`, without a trailing `/`.
    public let host: String

    /// `text` nil or empty = the public cloud; without a scheme, https is assumed (as azure-identity does).
    public init(host text: String?) throws {
        var host = (text ?? "").trimmingCharacters(in: .whitespaces)
        if host.isEmpty { host = Self.publicCloud }
        if !host.contains("://") { host = "https://" + host }
        while host.hasSuffix("/") { host.removeLast() }
        try SecureTransportRule.require(url: host, carrying: "a client secret or assertion",
                                        setting: "AZURE_AUTHORITY_HOST")
        self.host = host
    }

    /// The v2.0 token endpoint for `tenant`; also the audience of a client assertion.
    public func tokenURL(tenant: String) -> String { "\(host)/\(tenant)/oauth2/v2.0/token" }

    /// Tenant IDs are GUIDs or domain names: only letters, digits, `.` and `-` (as azure-identity checks).
    static func validateTenant(_ tenant: String, variable: String) throws {
        let allowed = tenant.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }
        guard !tenant.isEmpty, allowed else {
            throw FerryError(.usage, "\(variable) is not a tenant ID or domain (letters, digits, '.' and '-' only)",
                             disposition: .abortJob)
        }
    }
}

/// Bearer tokens and client secrets travel only over https, except to this machine (127.0.0.0/8,
/// ::1, localhost), where an emulator may listen without TLS. Pure; safe from any thread.
public enum SecureTransportRule {
    /// Throws a usage error naming `setting` when `url` is plain http to another machine.
    public static func require(url: String, carrying what: String, setting: String) throws {
        guard let schemeEnd = url.range(of: "://") else {
            throw FerryError(.usage, "\(setting) '\(Redaction.url(url))' is not a URL", disposition: .abortJob)
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme == "https" { return }
        if scheme == "http", isLoopback(host: host(of: url)) { return }
        throw FerryError(.usage, "refusing to send \(what) to \(Redaction.url(url)) without TLS: use an https URL "
                         + "(plain http is allowed only to 127.0.0.1, ::1 and localhost)", disposition: .abortJob)
    }

    /// The host of `scheme://[user@]host[:port]/…`, lower-cased; IPv6 literals keep no brackets.
    static func host(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "" }
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
        }
        return String(authority.prefix { $0 != ":" }).lowercased()
    }

    static func isLoopback(host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
