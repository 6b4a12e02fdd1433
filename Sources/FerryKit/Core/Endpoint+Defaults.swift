/// Default for endpoints with nothing to set up before writing: a local directory tree is created
/// as files are written, and an S3 bucket is never created by Ferry (buckets carry region, policy
/// and billing decisions that belong to their owner).
extension Endpoint {
    public func prepareDestination() throws {}
}

/// Default for stores without directories to skip (object stores list flat names).
extension Endpoint {
    public func list(prefix: String, recursive: Bool,
                     entering: @escaping @Sendable (String) -> Bool) throws -> any ObjectListing {
        try list(prefix: prefix, recursive: recursive)
    }
}

/// Default for endpoints whose writers leave nothing behind that outlives a job.
extension Endpoint {
    public func abandonWrite(for path: String, resumeToken: String) throws {}
}

/// Default for endpoints whose listing already carries the stored checksums (Local computes
/// none; Azure lists Ferry's CRC-64 metadata and Content-MD5).
extension Endpoint {
    public func readWhole(_ path: String, sizeBytes: Int64, into buffer: UnsafeMutableRawBufferPointer,
                          meter: any TransferMeter) throws -> (bytes: Int, storedCRC64: UInt64?) {
        (try read(path, range: 0..<sizeBytes, into: buffer, meter: meter), nil)
    }
}
