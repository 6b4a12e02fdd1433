import Foundation

/// What the destination listing said about one object, as the sync's index keeps it.
/// Value type; safe from any thread.
public struct DestinationEntry: Sendable, Hashable {
    /// Relative to the destination root; compared as UTF-8 bytes.
    public var path: String
    public var sizeBytes: Int64
    public var lastModified: Date?
    /// The source time recorded with the object: `ferrymtime` on a store, the file's own mtime on
    /// a local disk (downloads set it). Nil when another tool wrote the object.
    public var recordedSourceTime: Date?
    public var crc64: UInt64?
    public var contentMD5: Data?
    public var etag: String?

    public init(path: String, sizeBytes: Int64, lastModified: Date? = nil, recordedSourceTime: Date? = nil,
                crc64: UInt64? = nil, contentMD5: Data? = nil, etag: String? = nil) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.lastModified = lastModified
        self.recordedSourceTime = recordedSourceTime
        self.crc64 = crc64
        self.contentMD5 = contentMD5
        self.etag = etag
    }

    /// From a listing entry. `isLocal`: a file's mtime is the recorded source time.
    public init(_ info: ObjectInfo, isLocal: Bool) {
        self.init(path: info.path, sizeBytes: info.sizeBytes, lastModified: info.lastModified,
                  recordedSourceTime: isLocal ? info.lastModified : SourceTime.recorded(in: info),
                  crc64: info.crc64, contentMD5: info.contentMD5, etag: info.etag)
    }

    /// The time filters judge a destination object by (`--include-after`/`--include-before`).
    public var filterTime: Date? { recordedSourceTime ?? lastModified }
}
