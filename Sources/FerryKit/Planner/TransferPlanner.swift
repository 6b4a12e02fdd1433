/// Turns source listing entries into file plans: filters, path mapping, block sizing. Pure — no
/// I/O of its own, so it is unit-tested without disk or network. Value type; safe from any thread.
public struct TransferPlanner: Sendable {
    public var mapping: PathMapping
    public var filter: PathFilter
    public var destination: EndpointCapabilities
    public var requestedBlockSizeBytes: Int?
    /// Where automatic block sizing starts (see `BlockSizing`).
    public var automaticStartBytes: Int
    /// Set when remote names become local paths: each destination path is checked first.
    public var localNames: LocalNameRules?

    public init(mapping: PathMapping, filter: PathFilter, destination: EndpointCapabilities,
                requestedBlockSizeBytes: Int?, automaticStartBytes: Int = BlockSizing.defaultBlockSizeBytes) {
        self.mapping = mapping
        self.filter = filter
        self.destination = destination
        self.requestedBlockSizeBytes = requestedBlockSizeBytes
        self.automaticStartBytes = automaticStartBytes
    }

    /// The plan for `source`, or nil when the filters leave it out. Throws (`.skipItem`) for a file
    /// the destination cannot hold.
    public func plan(_ source: ObjectInfo) throws -> FilePlan? {
        // A single named file (path "") is copied as asked; filters sift what a listing finds.
        if !source.path.isEmpty && !filter.accepts(source) { return nil }
        try checkDestinationName(mapping.destinationPath(forSource: source.path))
        let blockSize = try BlockSizing.blockSizeBytes(fileSizeBytes: source.sizeBytes, destination: destination,
                                                       requestedBlockSizeBytes: requestedBlockSizeBytes,
                                                       startBytes: automaticStartBytes)
        var plan = FilePlan(sourcePath: source.path, destinationPath: mapping.destinationPath(forSource: source.path),
                            sizeBytes: source.sizeBytes, lastModified: source.lastModified, blockSizeBytes: blockSize,
                            sourceCRC64: source.crc64, sourceMD5: source.contentMD5)
        plan.contentModified = SourceTime.recorded(in: source)
        return plan
    }

    /// Throws `.unsafeName` (skip this file) when the destination path is refused (`LocalNameRules`).
    public func checkDestinationName(_ destinationPath: String) throws {
        try localNames?.check(destinationPath)
    }
}
