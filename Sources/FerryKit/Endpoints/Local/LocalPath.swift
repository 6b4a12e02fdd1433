#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns endpoint-relative paths into absolute file-system paths under a root, refusing any path
/// that could name something outside it. Pure value; safe from any thread.
///
/// Refused: absolute paths, `.` and `..` components, empty components (`a//b`), NUL bytes.
/// Symbolic links are never followed below the root: `checkNoSymlinks` walks the parents with
/// `lstat`, and files are opened with `O_NOFOLLOW`, so a link planted inside the root cannot lead
/// a write or read outside it.
struct LocalPath: Sendable {
    /// The root as given, without a trailing `/` (except for `/` itself).
    let root: String

    init(root: String) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed.isEmpty ? "." : trimmed
    }

    /// The absolute (or root-relative) file-system path of `relative`; "" is the root itself.
    func resolve(_ relative: String) throws -> String {
        try Self.validate(relative)
        if relative.isEmpty { return root }
        return root == "/" ? "/" + relative : root + "/" + relative
    }

    /// Throws `FerryError(.usage)` unless `relative` stays inside the root.
    static func validate(_ relative: String) throws {
        if relative.isEmpty { return }
        if relative.utf8.contains(0) { throw escape(relative, "contains a NUL byte") }
        if relative.hasPrefix("/") { throw escape(relative, "is absolute") }
        for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw escape(relative, "has an empty component") }
            if component == "." || component == ".." { throw escape(relative, "has a '\(component)' component") }
        }
    }

    /// Fails if any existing parent directory of `relative` below the root is a symbolic link.
    func checkNoSymlinks(inParentsOf relative: String) throws {
        var components = relative.split(separator: "/").map(String.init)
        guard components.count > 1 else { return }
        components.removeLast()
        var path = root
        for component in components {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) != 0 { return }  // does not exist yet: nothing to follow
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw FerryError(.usage, "refusing '\(relative)': '\(component)' is a symbolic link inside the destination",
                                 disposition: .skipItem)
            }
        }
    }

    /// Creates every missing parent directory of `relative` (mode 0755), refusing symbolic links.
    func createParents(of relative: String) throws {
        var components = relative.split(separator: "/").map(String.init)
        guard !components.isEmpty else { return }
        components.removeLast()
        try createRoot()
        var path = root
        for component in components {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) == 0 {
                let kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
                throw FerryError(.io, "cannot create directory '\(path)': a \(kind == S_IFLNK ? "symbolic link" : "file") is in the way",
                                 disposition: .skipItem)
            }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw LocalPath.posixError("create directory", path, errno)
            }
        }
    }

    /// Creates the root directory and its missing parents (a destination named but not there yet).
    func createRoot() throws {
        if access(root, F_OK) == 0 { return }
        var path = root.hasPrefix("/") ? "" : "."
        for component in root.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw LocalPath.posixError("create directory", path, errno) }
        }
    }

    /// Directory part and file name of an absolute path (`/a/b/c` → `/a/b`, `c`).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Does anything (a file, a link, a directory) already have this name?
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func escape(_ relative: String, _ why: String) -> FerryError {
        FerryError(.usage, "refusing path '\(relative.replacingNULs())': it \(why) and would escape the endpoint root",
                   disposition: .skipItem)
    }

    /// A FerryError for a failed system call, naming `path` (give the destination's final name,
    /// not a hidden partial or unnamed file, so the user knows which file failed).
    /// A full disk or quota fails only this file: smaller files may still fit, and a resume after
    /// space is freed retries it. A read-only file system aborts the job (no file can be written).
    static func posixError(_ action: String, _ path: String, _ code: Int32) -> FerryError {
        let reason = String(cString: strerror(code))
        let disposition: FerryError.Disposition
        switch code {
        case EROFS: disposition = .abortJob
        case ENOSPC, EDQUOT: disposition = .skipItem
        case EINTR, EAGAIN: disposition = .retry
        default: disposition = .skipItem
        }
        let ferryCode: FerryError.Code = (code == ENOENT) ? .notFound : .io
        return FerryError(ferryCode, "cannot \(action) '\(path)': \(reason)", disposition: disposition, cause: "errno \(code)")
    }
}

extension String {
    /// For messages: NUL bytes shown as `\0` so a refused path prints on one line.
    func replacingNULs() -> String { split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "\\0") }
}
