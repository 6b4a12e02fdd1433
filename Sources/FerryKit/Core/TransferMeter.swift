/// Sees every byte that crosses the wire: the engine's one meter applies `--cap-mbps` (it may
/// block the calling worker thread until the byte budget allows) and counts bytes for progress.
/// Implementations are thread-safe; endpoints call it from many workers at once, in small
/// chunks (as the HTTP layer moves them), before or as the bytes move.
public protocol TransferMeter: Sendable {
    func account(_ byteCount: Int)
}

/// A meter that neither throttles nor counts (local reads on an upload, tests).
public struct UnmeteredTransfer: TransferMeter {
    public init() {}
    public func account(_ byteCount: Int) {}
}
