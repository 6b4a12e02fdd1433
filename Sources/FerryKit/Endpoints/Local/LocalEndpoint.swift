#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A local file or directory. The root is a directory (objects are the regular files below it,
/// symbolic links skipped) or a single file (`stat("")` is that file; writing "" replaces it).
/// A root that is itself a symbolic link is followed: the user named it.
///
/// Thread-safe: it holds only immutable values; every call opens what it needs. Reads are `pread`;
/// writes never leave a partial file in place of a good one (see `LocalObjectWriter`).
public struct LocalEndpoint: PositionalWritingEndpoint {
    let paths: LocalPath
    /// Read and write chunk: the meter sees bytes at this grain, so `--cap-mbps` stays smooth.
    static let chunkBytes = 1 << 20

    /// Whether every written file is fsynced before it gets its name (`--fsync`); see
    /// `LocalObjectWriter` on durability.
    let flushesToDisk: Bool

    public init(root: String, flushesToDisk: Bool = false) {
        paths = LocalPath(root: root)
        self.flushesToDisk = flushesToDisk
    }

    public var redactedDescription: String { paths.root }

    public var capabilities: EndpointCapabilities {
        // A file system has no block-count limit; the cap keeps block IDs and manifests small.
        var capabilities = EndpointCapabilities(storesContentMD5: false, listsStagedBlocks: false, minimumBlockSizeBytes: 0,
                                                maximumBlockCount: 50_000, maximumBlockSizeBytes: 4000 << 20, isRemote: false,
                                                listsInByteOrder: true)
        capabilities.localNames = LocalNameRules(root: paths.root)
        return capabilities
    }

    /// True when the root is an existing directory (a destination that keeps source names).
    public var rootIsDirectory: Bool {
        var info = Glibc.stat()
        return followingStat(paths.root, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        LocalDirectoryListing(paths: paths, prefix: prefix, recursive: recursive)
    }

    public func list(prefix: String, recursive: Bool,
                     entering: @escaping @Sendable (String) -> Bool) throws -> any ObjectListing {
        LocalDirectoryListing(paths: paths, prefix: prefix, recursive: recursive, entering: entering)
    }

    public func stat(_ path: String) throws -> ObjectInfo? {
        let absolute = try paths.resolve(path)
        try paths.checkNoSymlinks(inParentsOf: path)
        var info = Glibc.stat()
        // The root itself is followed if it is a link (the user named it); nothing below it is.
        if (path.isEmpty ? followingStat(absolute, &info) : lstat(absolute, &info)) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw LocalPath.posixError("inspect", absolute, errno)
        }
        // Only regular files are objects; `stat("")` on a directory root is nil by the root rules.
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Self.objectInfo(path: path, info)
    }

    public func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
                     meter: any TransferMeter) throws -> Int {
        let absolute = try paths.resolve(path)
        try paths.checkNoSymlinks(inParentsOf: path)
        let descriptor = open(absolute, O_RDONLY | O_CLOEXEC | (path.isEmpty ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else { throw LocalPath.posixError("open", absolute, errno) }
        defer { close(descriptor) }
        precondition(buffer.count >= range.count, "read buffer smaller than the range")
        var done = 0
        while done < range.count {
            let want = min(Self.chunkBytes, range.count - done)
            let got = pread(descriptor, buffer.baseAddress! + done, want, off_t(range.lowerBound) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw LocalPath.posixError("read", absolute, errno)
            }
            if got == 0 { break }
            meter.account(got)
            done += got
        }
        return done
    }

    public func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        let target = try paths.resolve(path)
        try paths.checkNoSymlinks(inParentsOf: path)
        if path.isEmpty {
            try LocalPath(root: LocalPath.split(paths.root).directory).createRoot()
        } else {
            try paths.createParents(of: path)
        }
        return try LocalObjectWriter(targetPath: target, plan: plan, flushesToDisk: flushesToDisk)
    }

    public func delete(_ path: String) throws {
        let absolute = try paths.resolve(path)
        try paths.checkNoSymlinks(inParentsOf: path)
        if unlink(absolute) != 0 && errno != ENOENT { throw LocalPath.posixError("delete", absolute, errno) }
    }

    static func objectInfo(path: String, _ info: Glibc.stat) -> ObjectInfo {
        let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return ObjectInfo(path: path, sizeBytes: Int64(info.st_size), lastModified: Date(timeIntervalSince1970: seconds))
    }
}

/// `stat(2)` (following links), reachable from inside `LocalEndpoint`, whose `stat` method hides it.
func followingStat(_ path: String, _ info: inout Glibc.stat) -> Int32 { stat(path, &info) }

extension LocalEndpoint: ModificationTimeSettingEndpoint {
    public func setModificationTime(_ path: String, to date: Date) throws {
        try FileTimes.setModified(date, path: try paths.resolve(path))
    }
}
