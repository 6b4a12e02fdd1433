import Foundation

/// The one place URLs, command lines and free text are made safe to print, log or store: SAS
/// signatures, keys, tokens and passwords are replaced by `REDACTED`. Every description, error
/// message, log line and manifest entry that could hold a URL goes through it. Pure; safe from
/// any thread.
public enum Redaction {
    /// The placeholder that replaces a secret value.
    public static let placeholder = "REDACTED"

    /// Query parameter names (lower-cased) known never to carry a secret: SAS fields that help a
    /// reader (version, permissions, expiry) and the Blob API's own parameters. Every other value
    /// (`sig`, `X-Amz-Signature`, `X-Amz-Credential`, tokens under any name) is redacted, so an
    /// unknown token name is safe too.
    static let harmlessQueryNames: Set<String> = [
        "sv", "ss", "srt", "sp", "se", "st", "spr", "sr", "si", "restype", "comp", "prefix", "timeout",
        "delimiter", "marker", "maxresults", "include", "blockid", "blocklisttype",
    ]

    /// `https://user:pw@host/c/p?sv=…&sig=…` → `https://REDACTED@host/c/p?sv=…&sig=REDACTED`:
    /// user-info and every query value not known to be harmless are replaced. Works on any text
    /// shaped like a URL, even one Foundation cannot parse; a local path comes back unchanged.
    public static func url(_ url: String) -> String {
        var text = url
        if let schemeEnd = text.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd = text[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
                text.replaceSubrange(authorityStart..<at, with: placeholder)
            }
        }
        guard let question = text.firstIndex(of: "?") else { return text }
        let base = text[..<question]
        let query = text[text.index(after: question)...]
        let redactedQuery = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let decodedName = (name.removingPercentEncoding ?? name).lowercased()
            guard parts.count == 2, !harmlessQueryNames.contains(decodedName) else { return String(pair) }
            return "\(name)=\(placeholder)"
        }
        return base + "?" + redactedQuery.joined(separator: "&")
    }

    /// Free text (a cause chain, a server message) with anything secret-shaped removed: URLs are
    /// redacted, and `AccountKey=…`, `SharedAccessSignature=…`, `sig=…` and `Bearer …` values
    /// are replaced wherever they appear.
    public static func text(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        // Redact each URL found in the text, then scrub key=value secrets anywhere.
        while let match = rest.range(of: "://") {
            var start = match.lowerBound
            while start > rest.startIndex, rest[rest.index(before: start)].isLetter { start = rest.index(before: start) }
            let end = rest[match.upperBound...].firstIndex(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
                ?? rest.endIndex
            result += rest[..<start]
            result += url(String(rest[start..<end]))
            rest = rest[end...]
        }
        result += rest
        for marker in ["AccountKey=", "SharedAccessSignature=", "sig=", "Bearer "] {
            result = replaceValues(after: marker, in: result)
        }
        return result
    }

    /// Redacts every URL-looking argument, and the value after a secret-bearing flag.
    public static func commandLine(_ arguments: [String]) -> String {
        var redactNext = false
        return arguments.map { argument -> String in
            if redactNext {
                redactNext = false
                return placeholder
            }
            if ["--bearer-token", "--account-key", "--sas"].contains(argument) {
                redactNext = true
                return argument
            }
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                let name = argument[..<equals]
                return String(name) + "=" + Self.argument(String(argument[argument.index(after: equals)...]))
            }
            return Self.argument(argument)
        }.joined(separator: " ")
    }

    private static func argument(_ text: String) -> String {
        let redacted = text.contains("://") || text.contains("?") ? url(text) : text
        return redacted.contains(" ") ? "'" + redacted + "'" : redacted
    }

    private static func replaceValues(after marker: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let found = rest.range(of: marker, options: .caseInsensitive) {
            output += rest[..<found.upperBound]
            let valueEnd = rest[found.upperBound...].firstIndex(where: { $0 == ";" || $0 == "&" || $0.isWhitespace || $0 == "\"" })
                ?? rest.endIndex
            let value = rest[found.upperBound..<valueEnd]
            output += value == placeholder[...] || value.isEmpty ? String(value) : placeholder
            rest = rest[valueEnd...]
        }
        return output + rest
    }
}
