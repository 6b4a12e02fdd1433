import Foundation

/// One object (file or blob) as a listing or stat reports it.
public struct ObjectInfo: Sendable, Hashable {
    /// Relative to the endpoint root, `/`-separated, no leading `/`.
    public var path: String
    public var sizeBytes: Int64
    public var lastModified: Date?
    /// Stored whole-object MD5 (Azure Content-MD5), if the store has one.
    public var contentMD5: Data?
    /// Whole-object CRC-64/NVME, if the store recorded one (Ferry metadata `ferrycrc64`).
    public var crc64: UInt64?
    public var etag: String?
    public var contentType: String?
    /// User metadata, names lower-cased.
    public var metadata: [String: String]

    public init(path: String, sizeBytes: Int64, lastModified: Date? = nil, contentMD5: Data? = nil,
                crc64: UInt64? = nil, etag: String? = nil, contentType: String? = nil,
                metadata: [String: String] = [:]) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.lastModified = lastModified
        self.contentMD5 = contentMD5
        self.crc64 = crc64
        self.etag = etag
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// Properties a writer commits with the object.
public struct ObjectProperties: Sendable, Hashable {
    public var contentType: String?
    /// Whole-object MD5 to store as Content-MD5 (`--put-md5`).
    public var contentMD5: Data?
    /// Whole-object CRC-64/NVME, stored as metadata `ferrycrc64` (Azure LE base64 form) so
    /// downloads verify end to end.
    public var crc64: UInt64?
    public var metadata: [String: String]
    /// Fail with `FerryError.Code.destinationExists` instead of replacing an existing object.
    public var mustNotExist: Bool
    /// Source modification time, kept so `--overwrite if-source-newer` and sync can compare.
    public var sourceLastModified: Date?
    /// Access tier of a new block blob (`Hot`, `Cool`, `Cold`, `Archive`; `--block-blob-tier`).
    public var accessTier: BlockBlobTier?

    public init(contentType: String? = nil, contentMD5: Data? = nil, crc64: UInt64? = nil,
                metadata: [String: String] = [:], mustNotExist: Bool = false, sourceLastModified: Date? = nil) {
        self.contentType = contentType
        self.contentMD5 = contentMD5
        self.crc64 = crc64
        self.metadata = metadata
        self.mustNotExist = mustNotExist
        self.sourceLastModified = sourceLastModified
    }

    /// Metadata key under which Ferry stores the whole-object CRC-64 (value: Azure base64 form).
    public static let crc64MetadataKey = "ferrycrc64"
}

/// Checksums of one block (or a whole single-shot object), computed once as the bytes are read.
public struct BlockChecksums: Sendable, Hashable {
    public var crc64: UInt64
    /// Only when asked for (`--put-md5` on single-shot uploads): MD5 costs 4× a CRC.
    public var md5: Data?
    public init(crc64: UInt64, md5: Data? = nil) {
        self.crc64 = crc64
        self.md5 = md5
    }
}
