import Foundation

/// Decides, from the two listings alone, whether a source file must be sent. Pure; no I/O, so
/// every rule is unit-tested. Value type; safe from any thread.
///
/// Default rules, in order: no destination object → copy; different size → copy; the destination
/// recorded a source time (Ferry's `ferrymtime`, or a downloaded file's mtime) equal to the
/// source's → unchanged, different → confirm; no recorded time (another tool wrote it): a
/// Last-Modified at or after the source time → unchanged, before → confirm. "Confirm" sends the
/// file unless both sides' CRC-64 (or MD5) turn out equal, so a fresh checkout with new mtimes
/// sends nothing and clock skew between machines costs a checksum, never a transfer.
/// `--compare-hash`: equal sizes are decided by content alone (stored checksums, else confirm).
public struct ChangeDetection: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case copy
        case unchanged
        /// Copy unless the checksums of both sides match (computed or asked for where not listed).
        case confirm
    }

    public var comparesHash: Bool

    public init(comparesHash: Bool) { self.comparesHash = comparesHash }

    /// `sourceTime`: the source's dataset time (`SourceTime.of`).
    public func verdict(source: ObjectInfo, sourceTime: Date?, destination: DestinationEntry?) -> Verdict {
        guard let destination else { return .copy }
        guard destination.sizeBytes == source.sizeBytes else { return .copy }
        if comparesHash {
            if let sourceCRC = source.crc64, let destinationCRC = destination.crc64 {
                return sourceCRC == destinationCRC ? .unchanged : .copy
            }
            if let sourceMD5 = source.contentMD5, let destinationMD5 = destination.contentMD5 {
                return sourceMD5 == destinationMD5 ? .unchanged : .copy
            }
            return .confirm
        }
        guard let sourceTime else { return .confirm }
        if let recorded = destination.recordedSourceTime {
            return SourceTime.same(recorded, sourceTime) ? .unchanged : .confirm
        }
        guard let lastModified = destination.lastModified else { return .confirm }
        return lastModified >= sourceTime ? .unchanged : .confirm
    }
}
