import NIOCore
import NIOPosix

/// Streams a request body into an `UploadFile` on the I/O pool, a batch at a time: the socket is
/// read no faster than the disk takes the bytes. Acts out the `corrupt-request` and `drop` faults.
/// Stateless apart from its references; used by one request at a time.
struct BodyReceiver {
    /// How many bytes to gather before handing a batch to the disk.
    static let batchBytes = 512 << 10

    let reader: RequestReader
    let pool: NIOThreadPool
    let stats: EmulatorStats

    /// Receives the rest of the body into `file`. `corrupt` flips a byte before it is checksummed;
    /// `dropAfterBytes` closes the connection once that many bytes have arrived.
    func receive(into file: UploadFile, corrupt: Bool, dropAfterBytes: Int64?) async throws {
        var batch: [ByteBuffer] = []
        var batchBytes = 0
        var received: Int64 = 0
        var corrupted = false
        while var chunk = try await reader.nextBodyChunk() {
            stats.addBytesIn(chunk.readableBytes)
            received += Int64(chunk.readableBytes)
            if corrupt && !corrupted && chunk.readableBytes > 0 {
                let index = chunk.readerIndex + chunk.readableBytes / 2
                let byte = chunk.getInteger(at: index, as: UInt8.self) ?? 0
                chunk.setInteger(byte ^ 0xFF, at: index)
                corrupted = true
            }
            if let dropAfterBytes, received >= dropAfterBytes {
                throw RequestStreamError.dropConnection
            }
            batchBytes += chunk.readableBytes
            batch.append(chunk)
            if batchBytes >= Self.batchBytes {
                let pending = batch
                batch = []
                batchBytes = 0
                try await pool.runIfActive { try file.append(pending) }
            }
        }
        if dropAfterBytes != nil { throw RequestStreamError.dropConnection }
        if !batch.isEmpty {
            let pending = batch
            try await pool.runIfActive { try file.append(pending) }
        }
    }
}
