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
        // Managed-identity token requests: which API and resource, never a secret.
        "api-version", "resource",
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

    /// Markers after which a secret value follows, in key=value text, form bodies, headers and JSON.
    static let secretMarkers = [
        "AccountKey=", "SharedAccessSignature=", "sig=", "Bearer ", "client_secret=", "client_assertion=",
        "access_token=", "X-IDENTITY-HEADER: ", "\"access_token\":\"", "\"accessToken\":\"", "\"client_secret\":\"",
    ]

    /// Free text (a cause chain, a server message) with anything secret-shaped removed: URLs are
    /// redacted; `AccountKey=…`, `SharedAccessSignature=…`, `sig=…`, `Bearer …`, `client_secret=…`,
    /// `client_assertion=…`, access tokens and `X-IDENTITY-HEADER` values are replaced wherever
    /// they appear; so are JWTs (`eyJ….….…`: access tokens, federated tokens, client assertions)
    /// and PEM private key blocks.
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
        for marker in secretMarkers {
            result = replaceValues(after: marker, in: result)
        }
        return privateKeyBlocksRemoved(jwtsRemoved(result))
    }

    /// Every `eyJ<base64url>.<base64url>.<base64url>` (a compact JWS: its header is JSON, so it
    /// starts with `eyJ`) becomes the placeholder.
    static func jwtsRemoved(_ text: String) -> String {
        guard text.contains("eyJ") else { return text }
        let scalars = Array(text.unicodeScalars)
        func isBase64URL(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let startsToken = index + 2 < scalars.count && scalars[index] == "e" && scalars[index + 1] == "y" && scalars[index + 2] == "J"
                && (index == 0 || !isBase64URL(scalars[index - 1]))
            if startsToken {
                var end = index
                var dots = 0
                while end < scalars.count, isBase64URL(scalars[end]) || (scalars[end] == "." && dots < 2) {
                    if scalars[end] == "." { dots += 1 }
                    end += 1
                }
                if dots == 2 {
                    output.append(contentsOf: placeholder.unicodeScalars)
                    index = end
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    /// `-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----` becomes the placeholder
    /// (an unterminated block: everything after its start). Certificates stay: they are public.
    static func privateKeyBlocksRemoved(_ text: String) -> String {
        var result = text
        var searchFrom = result.startIndex
        while let begin = result[searchFrom...].range(of: "-----BEGIN "),
              let labelEnd = result[begin.upperBound...].range(of: "-----") {
            let label = result[begin.upperBound..<labelEnd.lowerBound]
            guard label.hasSuffix("PRIVATE KEY") else {
                searchFrom = labelEnd.upperBound
                continue
            }
            let end = result[labelEnd.upperBound...].range(of: "-----END \(label)-----")?.upperBound ?? result.endIndex
            let offset = result.distance(from: result.startIndex, to: begin.lowerBound)
            result.replaceSubrange(begin.lowerBound..<end, with: placeholder)
            searchFrom = result.index(result.startIndex, offsetBy: offset + placeholder.count)
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
            if ["--bearer-token", "--account-key", "--sas", "--client-secret"].contains(argument) {
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
