#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A receipt file being written: bytes go to a hidden temporary file beside the target, which
/// takes the target's name only when the receipt is complete (`commit`), so a receipt file is
/// never half written. `-` means standard output (written as it goes). `mode`: 0644 (less the
/// umask) for the user's files, 0600 for the job folder (job records are private). Not thread-safe.
public final class ReceiptFile {
    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32

    public init(path: String, mode: mode_t = 0o644) throws {
        self.path = path
        if path == "-" {
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).ferry-partial-\(getpid())"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw FerryError(.io, "cannot write receipt '\(path)': \(String(cString: strerror(errno)))", disposition: .abortJob)
        }
        temporaryPath = temporary
    }

    deinit { abandon() }

    /// Appends `data` (the writer's sink).
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let wrote = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw FerryError(.io, "cannot write receipt '\(path)': \(String(cString: strerror(errno)))", disposition: .abortJob)
                }
                done += wrote
            }
        }
    }

    /// Gives the complete receipt its name.
    public func commit() throws {
        guard let temporaryPath else { return }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0, rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw FerryError(.io, "cannot write receipt '\(path)': \(reason)", disposition: .abortJob)
        }
    }

    /// Drops an unfinished receipt (nothing if already committed).
    public func abandon() {
        guard let temporaryPath, descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    /// Writes a whole receipt to `path` with `body` feeding the writer; returns the trailer.
    public static func write(to path: String, mode: mode_t = 0o644, _ body: (ReceiptWriter) throws -> Void) throws -> ReceiptTrailer {
        let file = try ReceiptFile(path: path, mode: mode)
        let writer = ReceiptWriter(sink: file.write)
        do {
            try body(writer)
            let trailer = try writer.finish()
            try file.commit()
            return trailer
        } catch {
            file.abandon()  // now, not when released: a second attempt reuses the temporary name
            throw error
        }
    }
}
