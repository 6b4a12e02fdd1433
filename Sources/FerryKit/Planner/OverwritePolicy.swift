import Foundation

/// `--overwrite true|false|if-source-newer`, decided per file from the destination's listing or
/// `stat`. Pure value; safe from any thread.
public enum OverwritePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case always = "true"
    case never = "false"
    case ifSourceNewer = "if-source-newer"

    public enum Decision: Sendable, Hashable {
        case transfer
        /// `--overwrite false` and the destination exists.
        case skipExists
        /// `--overwrite if-source-newer` and the destination is as new or newer.
        case skipNotNewer
    }

    /// Does deciding need to know the destination? (`true` never looks, saving a request per file.)
    public var needsDestinationState: Bool { self != .always }

    public func decide(source: ObjectInfo, existing: ObjectInfo?) -> Decision {
        guard let existing else { return .transfer }
        switch self {
        case .always:
            return .transfer
        case .never:
            return .skipExists
        case .ifSourceNewer:
            // Unknown times cannot prove the destination current, so the copy goes ahead.
            guard let sourceTime = source.lastModified, let destinationTime = existing.lastModified else { return .transfer }
            return sourceTime > destinationTime ? .transfer : .skipNotNewer
        }
    }
}
