import FerryChecksums
import Foundation

/// Whether a source file and its destination object hold the same bytes: by CRC-64 where both
/// sides can say it, else by MD5. Each side says what its listing said; a remote side without a
/// listed CRC-64 is asked (`stat`: the stored CRC-64, the Content-MD5, or an ETag that is an
/// MD5); a local side is read once. Remote sides are asked before local bytes are read, so an
/// object with no checksum at all costs no local read. Only equality ever skips a file, so an
/// ETag that merely looks like an MD5 (KMS, multipart) can cause a transfer, never a skip.
/// Blocking; value type, safe from any thread (endpoints are thread-safe).
public struct ContentComparison: Sendable {
    public var source: any Endpoint
    public var destination: any Endpoint
    public var retry: RetryPolicy
    public var cancellation: CancellationFlag
    /// Local bytes are read in chunks of this size.
    static let chunkBytes = 1 << 20

    /// What one side says of its bytes.
    struct Digest {
        var crc64: UInt64?
        var md5: Data?
    }

    public init(source: any Endpoint, destination: any Endpoint, retry: RetryPolicy = RetryPolicy(),
                cancellation: CancellationFlag = CancellationFlag()) {
        self.source = source
        self.destination = destination
        self.retry = retry
        self.cancellation = cancellation
    }

    /// True when both sides hold the same bytes; `crc64` is the file's CRC-64 when one side said it.
    public func sameContent(_ plan: FilePlan) throws -> (same: Bool, crc64: UInt64?) {
        typealias Side = (endpoint: any Endpoint, path: String, listed: Digest)
        let sides: [Side] = [(source, plan.sourcePath, Digest(crc64: plan.sourceCRC64, md5: plan.sourceMD5)),
                             (destination, plan.destinationPath, Digest(crc64: plan.destinationCRC64, md5: plan.destinationMD5))]
        var digests: [Digest?] = [nil, nil]
        // Remote (or already listed) sides first: they cost a request at most.
        for (offset, side) in sides.enumerated() where side.endpoint.capabilities.isRemote || side.listed.crc64 != nil {
            digests[offset] = try remoteDigest(side.endpoint, side.path, listed: side.listed, sizeBytes: plan.sizeBytes)
            guard let digest = digests[offset], digest.crc64 != nil || digest.md5 != nil else { return (false, nil) }
        }
        for (offset, side) in sides.enumerated() where digests[offset] == nil {
            let other = digests[1 - offset]
            let wantsMD5 = other != nil && other?.crc64 == nil
            guard let digest = try Self.localDigest(side.endpoint, side.path, sizeBytes: plan.sizeBytes, md5: wantsMD5) else {
                return (false, nil)
            }
            digests[offset] = digest
        }
        guard let first = digests[0], let second = digests[1] else { return (false, nil) }
        if let a = first.crc64, let b = second.crc64 { return (a == b, a) }
        if let a = first.md5, let b = second.md5 { return (a == b, first.crc64 ?? second.crc64) }
        return (false, nil)
    }

    private func remoteDigest(_ endpoint: any Endpoint, _ path: String, listed: Digest, sizeBytes: Int64) throws -> Digest? {
        if listed.crc64 != nil { return listed }
        guard let info = try retry.run(cancellation: cancellation, { try endpoint.stat(path) }),
              info.sizeBytes == sizeBytes else { return nil }
        return Digest(crc64: info.crc64, md5: listed.md5 ?? info.contentMD5 ?? Self.md5(fromETag: info.etag))
    }

    /// A plain single-request ETag is the MD5 of the bytes (S3); anything else is not read as one.
    static func md5(fromETag etag: String?) -> Data? {
        guard let etag, etag.utf8.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in etag.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high { bytes.append(first << 4 | value); high = nil } else { high = value }
        }
        return Data(bytes)
    }

    /// Reads a local object once: its CRC-64, and its MD5 when asked; nil if it is not `sizeBytes` long.
    static func localDigest(_ endpoint: any Endpoint, _ path: String, sizeBytes: Int64, md5 wantsMD5: Bool) throws -> Digest? {
        let chunk = Int(min(Int64(chunkBytes), max(sizeBytes, 1)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var crc = CRC64()
        let md5 = wantsMD5 ? StreamingDigest(.md5) : nil
        var offset: Int64 = 0
        while offset < sizeBytes {
            let end = min(sizeBytes, offset + Int64(chunk))
            let got = try endpoint.read(path, range: offset..<end, into: buffer, meter: UnmeteredTransfer())
            guard got == Int(end - offset) else { return nil }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<got])
            crc.update(bytes)
            md5?.update(bytes)
            offset = end
        }
        return Digest(crc64: crc.value, md5: md5?.finalize())
    }
}
