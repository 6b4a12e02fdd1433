import Foundation

/// The job's durable record: files, their blocks, and the job's state. The engine writes through
/// it; `ferry jobs` reads it.
///
/// Concurrency contract: callable from any thread. Writes are queued to ONE writer and applied
/// in order in batched transactions, so callers never wait for the disk; `flush()` waits until
/// everything queued before it is durable (and reports a failed write). Queries see every write
/// queued before them.
public protocol ManifestStore: AnyObject, Sendable {
    var job: JobRecord { get }

    /// Records newly enumerated files and the listing position reached (the last source path).
    func addFiles(_ files: [FileRecord], scanCursor: String?)
    func markScanComplete()
    func setJobState(_ state: JobState)
    /// Recorded durably before any block is staged under the token (it is flushed).
    func setResumeToken(fileID: Int64, token: String?) throws
    /// Only after the destination acknowledged the block (CONCURRENCY.md rule 2).
    func markBlockDone(fileID: Int64, index: Int, crc64: UInt64, receipt: String?)
    /// Forgets every recorded block of a file (its staged blocks are gone).
    func forgetBlocks(fileID: Int64)
    func finishFile(fileID: Int64, state: FileState, crc64: UInt64?, md5: Data?, error: FerryError?)
    func flush() throws

    /// Files not done (pending or failed), id > `afterID`, in id order.
    func unfinishedFiles(afterID: Int64, limit: Int) throws -> [FileRecord]
    /// Files in `state` (all when nil), id > `afterID`, in id order.
    func files(state: FileState?, afterID: Int64, limit: Int) throws -> [FileRecord]
    /// How many files a sync recorded unchanged (`skipped`) without a known CRC-64.
    func skippedFilesWithoutCRC64() throws -> Int
    /// Blocks recorded done for a file: index → (CRC-64, receipt).
    func doneBlocks(fileID: Int64) throws -> [Int: DoneBlock]
    func largestFileID() throws -> Int64
    func scanCursor() throws -> String?
    /// Was a file with this destination path recorded already? (A resumed scan asks for each
    /// source entry, by the path it maps to: listing order is not trusted.)
    func hasFile(destinationPath: String) throws -> Bool
    func totals() throws -> JobTotals
    func close()
}

/// A block the manifest records as acknowledged by the destination.
public struct DoneBlock: Sendable, Hashable {
    public var crc64: UInt64
    public var receipt: String?
    public init(crc64: UInt64, receipt: String?) {
        self.crc64 = crc64
        self.receipt = receipt
    }
}
