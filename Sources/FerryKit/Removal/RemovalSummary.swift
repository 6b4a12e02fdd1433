/// What `ObjectRemover.remove` did. Value type.
public struct RemovalSummary: Sendable {
    /// Objects deleted (already absent counts as deleted); in a dry run, objects that would be.
    public var removed = 0
    /// Objects whose delete failed (each was reported to `onResult` with its error).
    public var failed = 0
    /// Why the removal stopped before the end of the paths, if it did: the cancellation flag
    /// (`.cancelled`), an error no further delete can get past (authentication), or the path
    /// sequence itself failing (a listing error). Paths after that point were not attempted
    /// and not reported.
    public var stoppedBy: FerryError?

    public init(removed: Int = 0, failed: Int = 0, stoppedBy: FerryError? = nil) {
        self.removed = removed
        self.failed = failed
        self.stoppedBy = stoppedBy
    }

    /// Every path was attempted and none failed.
    public var succeeded: Bool { failed == 0 && stoppedBy == nil }
}
