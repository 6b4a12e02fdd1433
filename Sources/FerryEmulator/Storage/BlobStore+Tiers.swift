import Foundation

extension BlobRecord {
    /// Records an explicitly set tier (nil leaves the blob on the inferred account default).
    mutating func setTier(_ tier: AccessTier?, at time: Date) {
        accessTier = tier?.rawValue
        accessTierChangeTime = tier == nil ? nil : time
    }

    /// The tier the blob reports, and whether it is inferred (never set explicitly).
    var reportedTier: (tier: String, inferred: Bool) {
        (accessTier ?? AccessTier.inferred.rawValue, accessTier == nil)
    }
}

extension BlobStore {
    /// Set Blob Tier: changes the committed blob's tier in place (its ETag and Last-Modified stay,
    /// as on the service). Returns whether the blob left the archive tier (a rehydration, which
    /// the service answers with 202 and this emulator completes at once).
    func setTier(_ container: String, _ name: String, to tier: AccessTier) throws -> Bool {
        try withContainer(container) { containerState in
            let key = NameKey(name)
            guard var record = containerState.blobs[key] else { throw ServiceError.blobNotFound() }
            let rehydrates = record.isArchived && tier != .archive
            guard record.accessTier != tier.rawValue else { return false }
            record.setTier(tier, at: Date())
            try persist(record, container: container)
            containerState.blobs[key] = record
            return rehydrates
        }
    }
}
