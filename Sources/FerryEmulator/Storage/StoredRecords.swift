import Foundation

/// One `x-ms-meta-*` pair, name case preserved. Value type; safe from any thread.
struct MetadataEntry: Codable, Sendable, Equatable {
    var name: String
    var value: String
}

/// A container as persisted in `containers/<name>/container.json`. Value type.
struct ContainerRecord: Codable, Sendable, Equatable {
    var name: String
    var metadata: [MetadataEntry]
    /// `none`, `blob` or `container` (the `x-ms-blob-public-access` level).
    var publicAccess: String
    var etag: String
    var lastModified: Date
}

/// The `x-ms-blob-content-*` and cache-control settings stored with a blob. Value type.
struct BlobContentSettings: Codable, Sendable, Equatable {
    var contentType: String?
    var contentEncoding: String?
    var contentLanguage: String?
    var contentDisposition: String?
    var cacheControl: String?
    /// Base64 MD5 of the whole blob, if one is stored (A9).
    var contentMD5: String?
}

/// One block of a committed blob: its ID (nil for Put Blob content), size and data file.
struct CommittedBlock: Codable, Sendable, Equatable {
    var id: String?
    var size: Int64
    /// File name under `data/`.
    var file: String
}

/// A committed blob as persisted in `containers/<c>/blobs/<key>.json`. Its content is the
/// concatenation of its blocks' files, so a commit moves no data. Value type.
struct BlobRecord: Codable, Sendable, Equatable {
    var name: String
    var settings: BlobContentSettings
    var metadata: [MetadataEntry]
    var blocks: [CommittedBlock]
    var size: Int64
    var etag: String
    var lastModified: Date
    var creationTime: Date
    /// Set by Copy Blob (HEAD reports it as `x-ms-copy-*`); a later upload clears it.
    var copy: CopyRecord?
    /// `Hot`, `Cool`, `Cold` or `Archive` when set explicitly (`x-ms-access-tier`, Set Blob Tier);
    /// nil: the account default, reported as `Hot` with `AccessTierInferred` (records written
    /// before tiers existed decode as nil).
    var accessTier: String? = nil
    var accessTierChangeTime: Date? = nil

    var isArchived: Bool { accessTier == AccessTier.archive.rawValue }
}

/// The outcome of the Copy Blob that produced a blob (copies finish at once here). Value type.
struct CopyRecord: Codable, Sendable, Equatable {
    var id: String
    var source: String
    var totalBytes: Int64
    var completionTime: Date
}

/// A staged (uncommitted) block: its file is `containers/<c>/staged/<key>/<hex id>`. Value type.
struct StagedBlock: Sendable, Equatable {
    var id: String
    var decodedLength: Int
    var size: Int64
    /// Staging order (Get Block List lists uncommitted blocks in this order).
    var sequence: UInt64
}

/// How a Put Block List entry picks its block (A5).
enum BlockListSource: String, Sendable, Equatable {
    case latest = "Latest", committed = "Committed", uncommitted = "Uncommitted"
}

/// One line of a Get Block List answer.
struct ListedBlock: Sendable, Equatable {
    var id: String
    var size: Int64
}
