#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FerryChecksums
import Foundation
import NIOCore

/// A request body being written to a new file in `tmp/`, checksummed as it goes (CRC-64 and/or
/// MD5, only what the answer needs: each costs about a core-second per GiB). `@unchecked Sendable` because the request's task hands it to one thread-pool
/// job at a time and awaits each job before the next, so it is never touched concurrently.
final class UploadFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32
    private let md5: StreamingDigest?
    private let computeCRC64: Bool
    private(set) var crc64 = CRC64()
    private(set) var size: Int64 = 0

    init(path: String, computeMD5: Bool, computeCRC64: Bool) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ServiceError.internalError("cannot create an upload file: \(DiskFiles.errnoText())")
        }
        self.path = path
        md5 = computeMD5 ? StreamingDigest(.md5) : nil
        self.computeCRC64 = computeCRC64
    }

    /// Appends and checksums `buffers` (blocking; run on the I/O pool).
    func append(_ buffers: [ByteBuffer]) throws {
        for buffer in buffers {
            try buffer.withUnsafeReadableBytes { bytes in
                if computeCRC64 { crc64.update(bytes) }
                md5?.update(bytes)
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw ServiceError.internalError("cannot write an upload file: \(DiskFiles.errnoText())")
                    }
                    offset += written
                }
            }
            size += Int64(buffer.readableBytes)
        }
    }

    /// The MD5 of everything appended; call once, after the last append.
    func finishMD5() -> Data? { md5?.finalize() }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// Closes and deletes the file (the upload was refused or cut short).
    func discard() {
        close()
        unlink(path)
    }

    deinit { close() }
}
