#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file without a name (Linux `O_TMPFILE`) in the target's directory, given its name only once
/// it holds every byte. Small-file downloads spend most of their time in directory operations;
/// this makes a new file one (`linkat`) instead of two (create a temporary name, rename it), and a
/// killed process leaves no temporary file behind. Replacing an existing file still goes through
/// a temporary name and `rename`, so readers see the old file or the new one, never a mix.
///
/// Owns its descriptor (closed in `deinit`); used by one thread at a time.
final class UnnamedFile {
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), which Swift does not import from the macro.
    private static let openTemporaryFlag: Int32 = 0o20000000 | O_DIRECTORY
    /// Naming an unnamed file needs `/proc/self/fd` (linkat with `AT_EMPTY_PATH` needs privileges).
    private static let procAvailable = access("/proc/self/fd", F_OK) == 0

    private let descriptor: Int32
    private let directory: String
    /// The name the file will take: what error messages name (the file itself has none yet).
    private let targetPath: String

    /// Nil where unnamed files are not supported (other systems and file systems, no `/proc`):
    /// the caller then writes under a temporary name.
    init?(directory: String, targetPath: String) {
        self.targetPath = targetPath
        #if os(Linux)
        guard Self.procAvailable else { return nil }
        let descriptor = open(directory, Self.openTemporaryFlag | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.directory = directory
        #else
        return nil
        #endif
    }

    deinit { close(descriptor) }

    private func flush() throws {
        guard fsync(descriptor) == 0 else { throw LocalPath.posixError("flush", targetPath, errno) }
    }

    func write(_ data: UnsafeRawBufferPointer, at offset: Int64 = 0, meter: any TransferMeter) throws {
        try LocalObjectWriter.writeAll(descriptor, data, at: offset, path: targetPath, meter: meter)
    }

    /// Names the file `target`. An existing target is replaced (rename over it, after an fsync:
    /// see `LocalObjectWriter` on durability), or, with `mustNotExist`, left alone with
    /// `destinationExists`. `flushesToDisk` fsyncs before any name is given.
    func link(to target: String, mustNotExist: Bool, flushesToDisk: Bool, modified: Date? = nil) throws {
        let source = "/proc/self/fd/\(descriptor)"
        try FileTimes.setModified(modified, descriptor: descriptor, path: target)
        if flushesToDisk { try flush() }
        if linkat(AT_FDCWD, source, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0 { return }
        let code = errno
        guard code == EEXIST else { throw LocalPath.posixError("create", target, code) }
        if mustNotExist {
            throw FerryError(.destinationExists, "'\(target)' already exists (--overwrite false)", disposition: .skipItem)
        }
        if !flushesToDisk { try flush() }
        let (_, name) = LocalPath.split(target)
        let temporary = directory + "/." + name + ".ferry-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        guard linkat(AT_FDCWD, source, AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 else {
            throw LocalPath.posixError("create", temporary, errno)
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw LocalPath.posixError("replace", target, code)
        }
    }
}
