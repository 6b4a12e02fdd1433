#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One-level listings (`ferry ls` without `-r`) and removing the directories that deletes left
/// empty (`ferry rm -r`). Neither follows a symbolic link below the root.
extension LocalEndpoint: DirectoryListingEndpoint {
    /// `prefix` "" lists the root; `a/b/` the directory `a/b`; `a/b/x` the names in `a/b`
    /// starting with `x`. A directory that does not exist lists nothing.
    public func listDirectory(prefix: String) throws -> any DirectoryListing {
        let split = prefix.utf8.lastIndex(of: UInt8(ascii: "/"))
        let directory = split.map { String(decoding: prefix.utf8[..<$0], as: UTF8.self) } ?? ""
        let namePrefix = split.map { String(decoding: prefix.utf8[prefix.utf8.index(after: $0)...], as: UTF8.self) } ?? prefix
        try paths.checkNoSymlinks(inParentsOf: directory.isEmpty ? "" : directory + "/x")
        let absolute = try paths.resolve(directory)
        var info = Glibc.stat()
        let exists = (directory.isEmpty ? followingStat(absolute, &info) : lstat(absolute, &info)) == 0
        guard exists, (info.st_mode & S_IFMT) == S_IFDIR else { return LocalOneLevelListing(paths: paths, directory: "", entries: []) }
        let entries = try LocalDirectoryListing.readSortedEntries(absolute).filter { $0.name.utf8.starts(with: namePrefix.utf8) }
        return LocalOneLevelListing(paths: paths, directory: directory.isEmpty ? "" : directory + "/", entries: entries)
    }

    /// Removes each of `directories` (relative, no trailing `/`) that is empty, then its parents
    /// while they become empty; never the root, never through a symbolic link (`rmdir` does not
    /// follow one, and parents are checked). Returns how many directories were removed.
    public func removeEmptyDirectories(_ directories: [String]) -> Int {
        // Deepest first, so a parent is tried after its children.
        let ordered = directories.sorted { $0.utf8.count > $1.utf8.count }
        var removed = 0
        for start in ordered {
            var current = start
            while !current.isEmpty {
                guard (try? paths.checkNoSymlinks(inParentsOf: current)) != nil,
                      let absolute = try? paths.resolve(current), rmdir(absolute) == 0 else { break }
                removed += 1
                guard let slash = current.utf8.lastIndex(of: UInt8(ascii: "/")) else { break }
                current = String(decoding: current.utf8[..<slash], as: UTF8.self)
            }
        }
        return removed
    }
}

/// The regular files and directories of one directory, sorted by bytes (a directory as
/// `name/`). Symbolic links and special files are left out. Not thread-safe: one consumer.
struct LocalOneLevelListing: DirectoryListing {
    let paths: LocalPath
    /// "" or `a/b/`.
    let directory: String
    let entries: [LocalDirectoryListing.Entry]
    private var nextIndex = 0

    init(paths: LocalPath, directory: String, entries: [LocalDirectoryListing.Entry]) {
        self.paths = paths
        self.directory = directory
        self.entries = entries
    }

    mutating func next() throws -> ListingEntry? {
        while nextIndex < entries.count {
            let entry = entries[nextIndex]
            nextIndex += 1
            let relative = directory + entry.name
            if entry.isDirectory { return .directory(relative + "/") }
            var info = stat()
            // A file that vanished between readdir and lstat is simply not listed.
            guard lstat(try paths.resolve(relative), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            return .object(LocalEndpoint.objectInfo(path: relative, info))
        }
        return nil
    }
}
