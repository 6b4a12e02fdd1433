/// Downloads without block buffers: a remote source hands each block's bytes, as they arrive, to a
/// destination that takes bytes at any offset (a local partial file). Each byte is copied once
/// from the network into the file, the block's CRC-64 is computed while the piece is still in the
/// CPU cache, and no worker holds a block-sized buffer, so large blocks (fewer requests) cost no
/// memory. The engine uses it when both sides can and no in-order whole-file MD5 is needed.

/// A source that can stream a range instead of filling a buffer.
public protocol StreamingEndpoint: Endpoint {
    /// Hands `range` of the object to `sink` in order, piece by piece, and returns the number of
    /// bytes streamed (less than `range.count` only if the object is shorter). An error thrown by
    /// `sink` stops the read and is rethrown as is. A retry starts again at `range.lowerBound`.
    func stream(_ path: String, range: Range<Int64>, meter: any TransferMeter,
                into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int

    /// `stream(path, range: 0..<sizeBytes, …)`, plus the whole-object CRC-64 the answer carried
    /// when it covered exactly that object (S3: in the GET's headers, where a listing has none).
    func streamWhole(_ path: String, sizeBytes: Int64, meter: any TransferMeter,
                     into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> (bytes: Int, storedCRC64: UInt64?)
}

extension StreamingEndpoint {
    /// Default for sources whose listing already carries the stored checksums (Azure).
    public func streamWhole(_ path: String, sizeBytes: Int64, meter: any TransferMeter,
                            into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> (bytes: Int, storedCRC64: UInt64?) {
        (try stream(path, range: 0..<sizeBytes, meter: meter, into: sink), nil)
    }
}

/// A writer whose object takes bytes at any offset before `commit`.
public protocol PositionalObjectWriter: ObjectWriter {
    /// Writes `piece` at `offset` of the object being built; bytes outside the planned size are
    /// refused. Thread-safe: pieces of different blocks arrive from many workers at once.
    func write(_ piece: UnsafeRawBufferPointer, at offset: Int64, meter: any TransferMeter) throws
}

/// A destination whose writers all take bytes at any offset, one-block files included: a
/// download that fits one request streams into it too (the local file system).
public protocol PositionalWritingEndpoint: Endpoint {}
