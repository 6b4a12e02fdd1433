/// A block blob's access tier (`x-ms-access-tier`, Set Blob Tier). Value type; safe from any thread.
/// Values are matched case-insensitively and answered in the service's spelling.
enum AccessTier: String, CaseIterable, Sendable {
    case hot = "Hot", cool = "Cool", cold = "Cold", archive = "Archive"

    /// The tier a blob reports when none was set (the account default).
    static let inferred = AccessTier.hot

    /// The tier named by `header`'s value, nil when the header is absent; 400 for anything else
    /// (the premium page-blob tiers P4…P80 included: they do not apply to block blobs).
    static func parse(_ value: String?, header: String = "x-ms-access-tier") throws(ServiceError) -> AccessTier? {
        guard let value else { return nil }
        let trimmed = value.trimmingSpaces()
        guard let tier = allCases.first(where: { $0.rawValue.lowercased() == trimmed.lowercased() }) else {
            throw ServiceError.invalidHeader(header, value)
        }
        return tier
    }

    static func blobArchived() -> ServiceError {
        ServiceError(status: 409, code: "BlobArchived", message: "This operation is not permitted on an archived blob.")
    }
}
