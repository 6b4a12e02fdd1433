#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which remote names may become paths under a local root, checked on the name's UTF-8 bytes
/// before anything is written. Refused (each one file, with a one-line reason; the job goes on):
/// absolute names, empty, `.` and `..` components, backslashes (a path separator on Windows and
/// to many tools), NUL and other control characters (U+0001–U+001F, U+007F–U+009F), a component
/// longer than the file system allows (`NAME_MAX`, 255 bytes) and a whole path longer than
/// `PATH_MAX` (4,096 bytes with its NUL) once joined to the root.
///
/// A name that is both a file and a directory (`a/b` and `a/b/c`) and two names that would be one
/// path are found across a listing by `LocalNameClaims`. Pure value; safe from any thread.
public struct LocalNameRules: Sendable, Hashable {
    public static let maximumComponentBytes = 255
    public static let maximumPathBytes = 4096

    /// UTF-8 length of the root the names are joined to (with its `/`).
    public var rootPrefixBytes: Int

    public init(root: String) {
        rootPrefixBytes = root.utf8.count + 1
    }

    /// Throws `FerryError(.unsafeName, .skipItem)` saying why (the file's name goes with it in
    /// every report: `failed: NAME: not downloaded: …`).
    public func check(_ relative: String) throws {
        if let reason = Self.problem(relative, rootPrefixBytes: rootPrefixBytes) {
            throw Self.refusal(reason)
        }
    }

    static func refusal(_ reason: String) -> FerryError {
        FerryError(.unsafeName, "not downloaded: \(reason)", disposition: .skipItem)
    }

    /// Why `relative` cannot be a path under the root, or nil when it can. "" is the root itself.
    static func problem(_ relative: String, rootPrefixBytes: Int) -> String? {
        let bytes = relative.utf8
        if bytes.isEmpty { return nil }
        if bytes.contains(0) { return "it holds a NUL byte, which no local file name can" }
        if relative.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "it holds a control character, which is not written to local file names"
        }
        if bytes.first == UInt8(ascii: "/") { return "it is an absolute name and would be written outside the destination" }
        if bytes.contains(UInt8(ascii: "\\")) { return "it holds a backslash, a path separator on Windows and to many tools" }
        var longest = 0
        for component in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.isEmpty { return "it has an empty path component ('//' or a trailing '/')" }
            if component.elementsEqual([UInt8(ascii: ".")]) { return "it has a '.' component" }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return "it has a '..' component and would be written outside the destination"
            }
            longest = max(longest, component.count)
        }
        if longest > maximumComponentBytes {
            return "a component is \(longest) bytes long, over the file system's \(maximumComponentBytes)-byte limit"
        }
        if rootPrefixBytes + bytes.count >= maximumPathBytes {
            return "the local path would be \(rootPrefixBytes + bytes.count) bytes long, over the \(maximumPathBytes)-byte limit"
        }
        return nil
    }
}
