#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Small blocking file-system operations used by the store (callers run them on the I/O thread
/// pool, never on the event loop). Stateless; safe from any thread.
enum DiskFiles {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to a temporary file and renames it over `path`, so a crash leaves either the
    /// old or the new content.
    static func writeAtomically(_ data: Data, to path: String, temporaryDirectory: String) throws {
        let temporary = temporaryDirectory + "/" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(errnoText())") }
        var failure: Failure?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(description: "cannot write \(temporary): \(errnoText())")
                    return
                }
                offset += written
            }
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        try move(temporary, to: path)
    }

    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw Failure(description: "cannot rename \(source) to \(destination): \(errnoText())")
        }
    }

    /// A second name for the same content (the staged block stays until the commit is durable).
    static func hardLink(_ source: String, to destination: String) throws {
        guard link(source, destination) == 0 else {
            throw Failure(description: "cannot link \(source) to \(destination): \(errnoText())")
        }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func contents(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    static func read(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// Size and modification time (nanoseconds) of a file, or nil if it is missing.
    static func status(_ path: String) -> (size: Int64, modifiedNanoseconds: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let nanoseconds = UInt64(info.st_mtim.tv_sec) * 1_000_000_000 + UInt64(info.st_mtim.tv_nsec)
        return (Int64(info.st_size), nanoseconds)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
