import FerryChecksums
import Foundation

/// Whether a source file and its destination object hold the same bytes, by CRC-64: a listed
/// value where there is one, else the store's stored value (`stat`), else — for a local side —
/// the bytes read once. The cheap side is asked first (listed, then `stat`, then a local read),
/// so a destination another tool wrote without a CRC-64 costs no local read. Blocking; value
/// type, safe from any thread (endpoints are thread-safe).
public struct ContentComparison: Sendable {
    public var source: any Endpoint
    public var destination: any Endpoint
    public var retry: RetryPolicy
    public var cancellation: CancellationFlag
    /// Local bytes are read in chunks of this size.
    static let chunkBytes = 1 << 20

    public init(source: any Endpoint, destination: any Endpoint, retry: RetryPolicy = RetryPolicy(),
                cancellation: CancellationFlag = CancellationFlag()) {
        self.source = source
        self.destination = destination
        self.retry = retry
        self.cancellation = cancellation
    }

    /// The CRC-64 both sides share, or nil when they differ or one side's cannot be had.
    public func matchingCRC64(_ plan: FilePlan) throws -> UInt64? {
        typealias Side = (endpoint: any Endpoint, path: String, listed: UInt64?)
        let sides: [Side] = [(source, plan.sourcePath, plan.sourceCRC64), (destination, plan.destinationPath, plan.destinationCRC64)]
        func cost(_ side: Side) -> Int { side.listed != nil ? 0 : (side.endpoint.capabilities.isRemote ? 1 : 2) }
        var first: UInt64?
        for side in sides.sorted(by: { cost($0) < cost($1) }) {
            guard let crc = try crc64(of: side.endpoint, path: side.path, listed: side.listed, sizeBytes: plan.sizeBytes) else {
                return nil
            }
            if let first, first != crc { return nil }
            first = crc
        }
        return first
    }

    private func crc64(of endpoint: any Endpoint, path: String, listed: UInt64?, sizeBytes: Int64) throws -> UInt64? {
        if let listed { return listed }
        if endpoint.capabilities.isRemote {
            guard let info = try retry.run(cancellation: cancellation, { try endpoint.stat(path) }),
                  info.sizeBytes == sizeBytes else { return nil }
            return info.crc64
        }
        return try Self.computeCRC64(of: endpoint, path: path, sizeBytes: sizeBytes)
    }

    /// Reads a local object once and checksums it; nil if it is not `sizeBytes` long.
    static func computeCRC64(of endpoint: any Endpoint, path: String, sizeBytes: Int64) throws -> UInt64? {
        let chunk = Int(min(Int64(chunkBytes), max(sizeBytes, 1)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var crc = CRC64()
        var offset: Int64 = 0
        while offset < sizeBytes {
            let end = min(sizeBytes, offset + Int64(chunk))
            let got = try endpoint.read(path, range: offset..<end, into: buffer, meter: UnmeteredTransfer())
            guard got == Int(end - offset) else { return nil }
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            offset = end
        }
        return crc.value
    }
}
