#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FerryChecksums
import Foundation
import NIOCore
import NIOPosix

/// Sends blob content from its data files: `sendfile` regions when plain, or read buffers when
/// a fault must corrupt the bytes or cut the body short. Files are opened on the I/O pool, one
/// segment at a time, and each write is awaited before the next (bounded memory). Stateless.
struct ContentSender {
    static let chunkBytes = 1 << 20

    let writer: ResponseWriter
    let pool: NIOThreadPool

    func sendFileRegions(_ segments: [ContentSegment]) async throws {
        for segment in segments where segment.length > 0 {
            let descriptor = try await pool.runIfActive { try Self.openForReading(segment.path) }
            let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
            defer { try? handle.close() }
            let region = FileRegion(fileHandle: handle, readerIndex: Int(segment.offset),
                                    endIndex: Int(segment.offset + segment.length))
            try await writer.fileRegion(region)
        }
    }

    /// Sends at most `limitBytes` of the content through buffers, flipping one byte if `corrupt`.
    func sendBuffers(_ segments: [ContentSegment], corrupt: Bool, limitBytes: Int64) async throws {
        var remaining = limitBytes
        var corrupted = false
        for segment in segments where segment.length > 0 && remaining > 0 {
            var offset = segment.offset
            var left = min(segment.length, remaining)
            while left > 0 {
                let count = Int(min(left, Int64(Self.chunkBytes)))
                let readOffset = offset
                var buffer = try await pool.runIfActive {
                    try Self.read(path: segment.path, offset: readOffset, count: count)
                }
                if corrupt && !corrupted {
                    let index = buffer.readerIndex + buffer.readableBytes / 2
                    buffer.setInteger((buffer.getInteger(at: index, as: UInt8.self) ?? 0) ^ 0xFF, at: index)
                    corrupted = true
                }
                try await writer.body(buffer)
                offset += Int64(count)
                left -= Int64(count)
                remaining -= Int64(count)
            }
        }
    }

    /// Digests of the content (range MD5 / CRC-64 answers), read on the I/O pool.
    static func digests(_ segments: [ContentSegment], md5: Bool, pool: NIOThreadPool) async throws -> (md5: Data?, crc64: UInt64) {
        try await pool.runIfActive {
            let digest = md5 ? StreamingDigest(.md5) : nil
            var crc = CRC64()
            for segment in segments {
                var offset = segment.offset
                var left = segment.length
                while left > 0 {
                    let count = Int(min(left, Int64(Self.chunkBytes)))
                    let buffer = try Self.read(path: segment.path, offset: offset, count: count)
                    buffer.withUnsafeReadableBytes { bytes in
                        crc.update(bytes)
                        digest?.update(bytes)
                    }
                    offset += Int64(count)
                    left -= Int64(count)
                }
            }
            return (digest?.finalize(), crc.value)
        }
    }

    static func openForReading(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ServiceError.internalError("cannot open blob data: \(DiskFiles.errnoText())")
        }
        return descriptor
    }

    static func read(path: String, offset: Int64, count: Int) throws -> ByteBuffer {
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count)
        var done = 0
        while done < count {
            let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { bytes in
                let result = pread(descriptor, bytes.baseAddress!, count - done, off_t(offset) + off_t(done))
                return result > 0 ? result : 0
            }
            if got == 0 { throw ServiceError.internalError("blob data ended early") }
            done += got
        }
        return buffer
    }
}
