#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Walks a local directory tree depth-first in lexicographic order of the full relative path
/// (byte order of UTF-8; a directory sorts as `name/`), yielding regular files only.
///
/// Memory: one sorted list of names per directory on the current path, never the whole tree.
/// Symbolic links, sockets, FIFOs and devices are skipped (Ferry copies regular files; following
/// links could loop or leave the root). Ferry's own partial and temporary files (kept after
/// Ctrl-C so a download can resume) are never listed, so they are never uploaded as data.
/// Not thread-safe: one consumer, as `ObjectListing` says.
struct LocalDirectoryListing: ObjectListing {
    struct Entry {
        var name: String
        var isDirectory: Bool
        var sortKey: [UInt8]
        /// A file's size and modification time, read with `fstatat` on the open directory while
        /// it was read (no path lookup from the root per file).
        var sizeBytes: Int64 = 0
        var modified = timespec()
    }
    private struct Frame {
        var relativeDirectory: String  // "" or "a/b/"
        var entries: [Entry]
        var nextIndex = 0
    }

    private let paths: LocalPath
    private let prefix: String
    private let recursive: Bool
    /// Is a directory (relative path, no trailing `/`) worth walking? Filters say no for
    /// directories they exclude whole.
    private let entering: @Sendable (String) -> Bool
    private var stack: [Frame] = []
    private var started = false
    private let readAhead = DirectoryReadAhead()

    init(paths: LocalPath, prefix: String, recursive: Bool, entering: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.paths = paths
        self.prefix = prefix
        self.recursive = recursive
        self.entering = entering
    }

    mutating func next() throws -> ObjectInfo? {
        if !started {
            started = true
            var info = stat()
            guard followingStat(paths.root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
            stack.append(Frame(relativeDirectory: "", entries: try Self.readSortedEntries(paths.root)))
        }
        while !stack.isEmpty {
            let top = stack.count - 1
            if stack[top].nextIndex == stack[top].entries.count {
                stack.removeLast()
                continue
            }
            let entry = stack[top].entries[stack[top].nextIndex]
            stack[top].nextIndex += 1
            let relative = stack[top].relativeDirectory + entry.name
            if entry.isDirectory {
                guard walksInto(relative) else { continue }
                let entries = try readAhead.entries(of: try paths.resolve(relative))
                stack.append(Frame(relativeDirectory: relative + "/", entries: entries))
                startReadingNextDirectory()
                continue
            }
            guard relative.utf8.starts(with: prefix.utf8) else { continue }
            if !recursive && relative.utf8.dropFirst(prefix.utf8.count).contains(UInt8(ascii: "/")) { continue }
            let seconds = Double(entry.modified.tv_sec) + Double(entry.modified.tv_nsec) / 1e9
            return ObjectInfo(path: relative, sizeBytes: entry.sizeBytes, lastModified: Date(timeIntervalSince1970: seconds))
        }
        return nil
    }

    /// Directories on the way to the prefix are always entered (`dir/` for prefix `dir/x`); those
    /// below it only when recursive, as a store's delimiter listing; and only those the filters
    /// want (`entering`). `relative` has no trailing `/`.
    private func walksInto(_ relative: String) -> Bool {
        let directory = relative + "/"
        guard prefix.utf8.starts(with: directory.utf8) || (recursive && directory.utf8.starts(with: prefix.utf8)) else {
            return false
        }
        return entering(relative)
    }

    /// Starts reading the directory the walk will enter next — the first one still ahead in the
    /// innermost frame that has one — on `readAhead`'s thread. Only a hint: the search gives up
    /// after a few thousand entries (files by the million with no directory among them).
    private func startReadingNextDirectory() {
        var budget = 4096
        for frame in stack.reversed() {
            for entry in frame.entries[frame.nextIndex...] {
                budget -= 1
                if budget == 0 { return }
                guard entry.isDirectory else { continue }
                let relative = frame.relativeDirectory + entry.name
                guard walksInto(relative), let path = try? paths.resolve(relative) else { continue }
                readAhead.start(path)
                return
            }
        }
    }

    /// The directory's subdirectories and regular files (each stat'ed without following links,
    /// relative to the open directory), sorted by their byte-order keys. A name that vanished or
    /// changed kind between readdir and fstatat is simply not listed.
    static func readSortedEntries(_ directoryPath: String) throws -> [Entry] {
        guard let directory = opendir(directoryPath) else {
            throw LocalPath.posixError("list directory", directoryPath, errno)
        }
        defer { closedir(directory) }
        let directoryFD = dirfd(directory)
        var entries: [Entry] = []
        while let raw = readdir(directory) {
            let isDot = withUnsafeBytes(of: &raw.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if isDot { continue }
            let kind = Int32(raw.pointee.d_type)
            if kind != Int32(DT_UNKNOWN) && kind != Int32(DT_DIR) && kind != Int32(DT_REG) { continue }
            var info = stat()
            let found = withUnsafePointer(to: &raw.pointee.d_name) {
                fstatat(directoryFD, UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW) == 0
            }
            guard found else { continue }
            let name = withUnsafePointer(to: &raw.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                entries.append(Entry(name: name, isDirectory: true, sortKey: Array(name.utf8) + [UInt8(ascii: "/")]))
            case S_IFREG where !LocalObjectWriter.isWorkFile(name):
                entries.append(Entry(name: name, isDirectory: false, sortKey: Array(name.utf8), sizeBytes: Int64(info.st_size),
                                     modified: info.st_mtim))
            default:
                continue
            }
        }
        entries.sort { NameOrder.compare($0.sortKey, $1.sortKey) < 0 }
        return entries
    }
}
