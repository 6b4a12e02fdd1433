/// Default for endpoints with nothing to set up before writing: a local directory tree is created
/// as files are written, and an S3 bucket is never created by Ferry (buckets carry region, policy
/// and billing decisions that belong to their owner).
extension Endpoint {
    public func prepareDestination() throws {}
}
