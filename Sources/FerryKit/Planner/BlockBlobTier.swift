/// An Azure block blob access tier, as AzCopy's `--block-blob-tier` names them. Sent as
/// `x-ms-access-tier` on Put Blob and Put Block List. Value type; safe from any thread.
public enum BlockBlobTier: String, Sendable, Hashable, Codable, CaseIterable {
    case hot, cool, cold, archive

    /// The header value, in the service's spelling (`Hot`, `Cool`, `Cold`, `Archive`).
    public var headerValue: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}
