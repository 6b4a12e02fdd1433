/// One shell glob, matched against UTF-8 bytes (STYLE.md, "Names are bytes"): `*` is any run of
/// bytes without `/`, `**` any run including `/`, `?` one character (one UTF-8 sequence, not `/`),
/// `[abc]`, `[a-z]`, `[!a]` one ASCII byte of a set. A pattern with a `/` matches the whole relative
/// path; one without matches the last path component (the file name), as azcopy's patterns do.
/// Pure value; safe from any thread.
public struct GlobPattern: Sendable, Hashable, Codable {
    public let text: String
    private let pattern: [UInt8]
    /// Does the pattern name a path (it has a `/`) rather than a file name?
    public let matchesWholePath: Bool

    public init(_ text: String) {
        self.text = text
        var bytes = Array(text.utf8)
        while bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }  // relative paths have no leading '/'
        pattern = bytes
        matchesWholePath = bytes.contains(UInt8(ascii: "/"))
    }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Matches a `/`-separated relative path (its name only, unless the pattern has a `/`).
    public func matches(path: some Collection<UInt8>) -> Bool {
        let bytes = Array(path)
        if matchesWholePath { return Self.match(pattern[...], bytes[...]) }
        let nameStart = (bytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 }) ?? 0
        return Self.match(pattern[...], bytes[nameStart...])
    }

    /// Matches `path` as a whole, even for a pattern without `/` (used to prune directories).
    public func matchesEntire(path: some Collection<UInt8>) -> Bool {
        Self.match(pattern[...], Array(path)[...])
    }

    private static let slash = UInt8(ascii: "/")

    /// Backtracking matcher; the pattern is short, so the worst case stays small in practice.
    private static func match(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        while p < pattern.endIndex {
            let token = pattern[p]
            switch token {
            case UInt8(ascii: "*"):
                let crossesSlash = p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*")
                let rest = p + (crossesSlash ? 2 : 1)
                // `**/` also matches no directory at all (`a/**/b` matches `a/b`).
                if crossesSlash, rest < pattern.endIndex, pattern[rest] == slash,
                   match(pattern[(rest + 1)...], name[n...]) { return true }
                if rest == pattern.endIndex { return crossesSlash || !name[n...].contains(slash) }
                var candidate = n
                while true {
                    if match(pattern[rest...], name[candidate...]) { return true }
                    guard candidate < name.endIndex, crossesSlash || name[candidate] != slash else { return false }
                    candidate += 1
                }
            case UInt8(ascii: "?"):
                guard n < name.endIndex, name[n] != slash else { return false }
                n += 1
                while n < name.endIndex, name[n] & 0xC0 == 0x80 { n += 1 }  // the rest of a UTF-8 sequence
                p += 1
            case UInt8(ascii: "["):
                guard let (matched, next) = matchClass(pattern, at: p, byte: n < name.endIndex ? name[n] : nil) else {
                    // An unclosed `[` is a literal.
                    guard n < name.endIndex, name[n] == token else { return false }
                    n += 1
                    p += 1
                    continue
                }
                guard matched else { return false }
                n += 1
                p = next
            default:
                guard n < name.endIndex, name[n] == token else { return false }
                n += 1
                p += 1
            }
        }
        return n == name.endIndex
    }

    /// `[…]` at `start`: whether `byte` is in the set, and where the pattern goes on; nil if unclosed.
    private static func matchClass(_ pattern: ArraySlice<UInt8>, at start: Int, byte: UInt8?) -> (Bool, Int)? {
        var index = start + 1
        let negated = index < pattern.endIndex && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^"))
        if negated { index += 1 }
        var found = false
        var first = true
        while index < pattern.endIndex {
            let low = pattern[index]
            if low == UInt8(ascii: "]") && !first {
                guard let byte, byte != slash else { return (false, index + 1) }
                return (found != negated, index + 1)
            }
            first = false
            if index + 2 < pattern.endIndex, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if let byte, low <= byte && byte <= pattern[index + 2] { found = true }
                index += 3
            } else {
                if let byte, byte == low { found = true }
                index += 1
            }
        }
        return nil
    }
}
