import Foundation

/// Header sets shared by several operations. Pure.
enum ResponseHeaders {
    static func quoted(_ etag: String) -> String { "\"\(etag)\"" }

    static func written(etag: String, lastModified: Date) -> [(String, String)] {
        [("ETag", quoted(etag)), ("Last-Modified", HTTPDate.format(lastModified))]
    }

    static func metadata(_ entries: [MetadataEntry]) -> [(String, String)] {
        entries.map { ("x-ms-meta-" + $0.name, $0.value) }
    }

    /// Get Blob Properties: the tier, `inferred` only when never set, the time it was set.
    static func tier(_ record: BlobRecord) -> [(String, String)] {
        let reported = record.reportedTier
        var headers = [("x-ms-access-tier", reported.tier)]
        if reported.inferred { headers.append(("x-ms-access-tier-inferred", "true")) }
        if let changed = record.accessTierChangeTime { headers.append(("x-ms-access-tier-change-time", HTTPDate.format(changed))) }
        return headers
    }

    /// What Get Blob and Get Blob Properties both carry (A4, A6).
    static func blobProperties(_ record: BlobRecord) -> [(String, String)] {
        let settings = record.settings
        var headers = written(etag: record.etag, lastModified: record.lastModified)
        headers.append(("Content-Type", settings.contentType ?? "application/octet-stream"))
        if let value = settings.contentEncoding { headers.append(("Content-Encoding", value)) }
        if let value = settings.contentLanguage { headers.append(("Content-Language", value)) }
        if let value = settings.contentDisposition { headers.append(("Content-Disposition", value)) }
        if let value = settings.cacheControl { headers.append(("Cache-Control", value)) }
        headers += [("Accept-Ranges", "bytes"), ("x-ms-blob-type", "BlockBlob"),
                    ("x-ms-creation-time", HTTPDate.format(record.creationTime)),
                    ("x-ms-lease-status", "unlocked"), ("x-ms-lease-state", "available"),
                    ("x-ms-server-encrypted", "true")]
        if let copy = record.copy {
            headers += [("x-ms-copy-id", copy.id), ("x-ms-copy-status", "success"), ("x-ms-copy-source", copy.source),
                        ("x-ms-copy-progress", "\(copy.totalBytes)/\(copy.totalBytes)"),
                        ("x-ms-copy-completion-time", HTTPDate.format(copy.completionTime))]
        }
        return headers + metadata(record.metadata)
    }
}
