import Foundation

/// Removes secrets from a string-to-sign before it is echoed in an error detail. The service
/// echoes the whole string; ours may not (STYLE.md: secrets never appear in errors), and a
/// Shared Key string can carry a copy source's SAS, a source bearer token or a customer key.
/// Stateless; safe anywhere.
enum StringToSignRedaction {
    /// Canonicalized headers whose whole value is a secret.
    private static let secretHeaders = [
        "x-ms-copy-source-authorization", "x-ms-encryption-key", "x-ms-source-encryption-key",
    ]

    static func redact(_ stringToSign: String) -> String {
        stringToSign.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let lowered = line.lowercased()
            if let name = secretHeaders.first(where: { lowered.hasPrefix($0 + ":") }) { return name + ":<redacted>" }
            if lowered.hasPrefix("sig:") { return "sig:<redacted>" }   // a query `sig` in the resource lines
            return redactSASSignatures(in: String(line))
        }.joined(separator: "\n")
    }

    /// Replaces the value of every `sig=` query parameter inside a URL (e.g. `x-ms-copy-source`).
    static func redactSASSignatures(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "sig=", options: .caseInsensitive) {
            let atParameterStart = range.lowerBound == rest.startIndex
                || ["?", "&"].contains(rest[rest.index(before: range.lowerBound)])
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            guard atParameterStart else { continue }
            result += "<redacted>"
            rest = rest[(rest.firstIndex(of: "&") ?? rest.endIndex)...]
        }
        return result + rest
    }
}
