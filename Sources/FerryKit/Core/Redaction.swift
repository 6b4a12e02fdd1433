/// The one place URLs and command lines are made safe to print, log or store: SAS signatures,
/// keys, tokens and passwords are replaced by `REDACTED`. Pure; safe from any thread.
public enum Redaction {
    /// Query parameters that are never secret and help a reader (SAS version, expiry, permissions).
    static let harmlessQueryNames: Set<String> = ["sv", "ss", "srt", "sp", "se", "st", "spr", "sr", "si",
                                                  "restype", "comp", "prefix", "timeout"]

    /// `https://user:pw@host/c/p?sv=…&sig=…` → `https://REDACTED@host/c/p?sv=…&sig=REDACTED`.
    /// Every query value not known to be harmless is redacted, so unknown token names are safe too.
    public static func url(_ text: String) -> String {
        var base = Substring(text)
        var query: Substring?
        if let mark = text.firstIndex(of: "?") {
            base = text[..<mark]
            query = text[text.index(after: mark)...]
        }
        var result = String(base)
        if let scheme = result.range(of: "://") {
            let authorityStart = scheme.upperBound
            let authorityEnd = result[authorityStart...].firstIndex(of: "/") ?? result.endIndex
            if let at = result[authorityStart..<authorityEnd].lastIndex(of: "@") {
                result.replaceSubrange(authorityStart..<at, with: "REDACTED")
            }
        }
        guard let query else { return result }
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            guard let equals = part.firstIndex(of: "=") else { return String(part) }
            let name = part[..<equals].lowercased()
            return harmlessQueryNames.contains(name) ? String(part) : String(part[..<equals]) + "=REDACTED"
        }
        return result + "?" + parts.joined(separator: "&")
    }

    /// Redacts every URL-looking argument, and the value after a secret-bearing flag.
    public static func commandLine(_ arguments: [String]) -> String {
        var redactNext = false
        return arguments.map { argument -> String in
            if redactNext {
                redactNext = false
                return "REDACTED"
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
}
