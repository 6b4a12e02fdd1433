/// An endpoint that deletes many objects in one request (S3 DeleteObjects: up to 1,000 keys).
/// `ObjectRemover` groups paths into batches of at most `maximumDeleteBatchCount` for it; other
/// endpoints get parallel single `delete` calls. Thread-safe, like every `Endpoint`.
public protocol BatchDeletingEndpoint: Endpoint {
    /// The most paths one `deleteBatch` call takes.
    var maximumDeleteBatchCount: Int { get }

    /// Deletes `paths` (at most `maximumDeleteBatchCount`) and returns one result per path, in
    /// the same order: nil when the object is gone (deleted, or was not there), else why not.
    /// Results are positional, never keyed by name, so names equal only under Unicode
    /// equivalence stay apart. Throws when the request as a whole failed (nothing is known).
    func deleteBatch(_ paths: [String]) throws -> [FerryError?]
}
