import Foundation

/// Which paths a copy, sync, `ls` or `rm` takes: `--include-pattern`/`--exclude-pattern` (globs,
/// `GlobPattern`), `--include-path`/`--exclude-path` (relative path prefixes, whole components),
/// `--list-of-files` (exact relative paths) and `--include-after`/`--include-before` (modification
/// time, inclusive; an unknown time is taken). A path is taken when every given rule takes it.
/// Paths are compared as UTF-8 bytes. Pure value; safe from any thread.
public struct PathFilter: Sendable, Hashable {
    public var includePatterns: [GlobPattern] = []
    public var excludePatterns: [GlobPattern] = []
    /// Relative prefixes, without leading or trailing `/`.
    public var includePaths: [[UInt8]] = []
    public var excludePaths: [[UInt8]] = []
    /// `--list-of-files`: only these exact relative paths (nil: no list).
    public var listedPaths: Set<[UInt8]>?
    public var modifiedAfter: Date?
    public var modifiedBefore: Date?

    public init() {}

    /// From the `;`-separated option texts, as `TransferOptions` records them.
    public init(includePattern: String?, excludePattern: String?, includePath: String? = nil, excludePath: String? = nil,
                listedPaths: [String]? = nil, modifiedAfter: Date? = nil, modifiedBefore: Date? = nil) {
        includePatterns = Self.split(includePattern).map(GlobPattern.init)
        excludePatterns = Self.split(excludePattern).map(GlobPattern.init)
        includePaths = Self.split(includePath).map(Self.prefixBytes).filter { !$0.isEmpty }
        excludePaths = Self.split(excludePath).map(Self.prefixBytes).filter { !$0.isEmpty }
        self.listedPaths = listedPaths.map { Set($0.map { Self.prefixBytes($0) }) }
        self.modifiedAfter = modifiedAfter
        self.modifiedBefore = modifiedBefore
    }

    /// Does the filter take everything? (Then nothing needs checking.)
    public var takesEverything: Bool {
        includePatterns.isEmpty && excludePatterns.isEmpty && includePaths.isEmpty && excludePaths.isEmpty
            && listedPaths == nil && modifiedAfter == nil && modifiedBefore == nil
    }

    /// Is the object at `path` (relative, `/`-separated) with this modification time taken?
    public func accepts(path: String, lastModified: Date?) -> Bool {
        if takesEverything { return true }
        let bytes = Array(path.utf8)
        if let listedPaths, !listedPaths.contains(bytes) { return false }
        if !includePaths.isEmpty && !includePaths.contains(where: { Self.isWithin(bytes, $0) }) { return false }
        if excludePaths.contains(where: { Self.isWithin(bytes, $0) }) { return false }
        if !includePatterns.isEmpty && !includePatterns.contains(where: { $0.matches(path: bytes) }) { return false }
        if excludePatterns.contains(where: { $0.matches(path: bytes) }) { return false }
        if let lastModified {
            if let modifiedAfter, lastModified < modifiedAfter { return false }
            if let modifiedBefore, lastModified > modifiedBefore { return false }
        }
        return true
    }

    public func accepts(_ info: ObjectInfo) -> Bool { accepts(path: info.path, lastModified: info.lastModified) }

    /// Can anything below the directory `path` (relative, no trailing `/`) be taken? False lets a
    /// listing skip the directory without walking it. Only ever false when every path below would
    /// be refused anyway, so pruning never changes what is taken.
    public func mayTakeAnything(below path: String) -> Bool {
        if takesEverything { return true }
        let bytes = Array(path.utf8)
        if excludePaths.contains(where: { Self.isWithin(bytes, $0) }) { return false }
        if !includePaths.isEmpty
            && !includePaths.contains(where: { Self.isWithin(bytes, $0) || Self.isWithin($0, bytes) }) { return false }
        // `--exclude-pattern 'cache/**'` refuses everything below a directory the part before `/**` matches.
        for pattern in excludePatterns where pattern.text.hasSuffix("/**") {
            if GlobPattern(String(pattern.text.dropLast(3))).matchesEntire(path: bytes) { return false }
        }
        return true
    }

    /// Is `path` the prefix itself or below it (whole components)?
    static func isWithin(_ path: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard path.count >= prefix.count, path.starts(with: prefix) else { return false }
        return path.count == prefix.count || path[prefix.count] == UInt8(ascii: "/")
    }

    static func prefixBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        while bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return bytes
    }

    static func split(_ text: String?) -> [String] {
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
