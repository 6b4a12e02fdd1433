#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--include-pattern` / `--exclude-pattern`: `;`-separated shell globs (`*`, `?`, `[…]`)
/// matched against the file name only, as azcopy does. A file is copied when it matches some
/// include pattern (or there are none) and no exclude pattern. Pure value; safe from any thread.
public struct NameFilter: Sendable, Hashable, Codable {
    public var includePatterns: [String]
    public var excludePatterns: [String]

    public init(include: String? = nil, exclude: String? = nil) {
        includePatterns = Self.split(include)
        excludePatterns = Self.split(exclude)
    }

    public func accepts(path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if !includePatterns.isEmpty && !includePatterns.contains(where: { Self.matches($0, name) }) { return false }
        return !excludePatterns.contains(where: { Self.matches($0, name) })
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    private static func split(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
