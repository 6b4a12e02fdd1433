/// Default for stores that cannot read back what they staged (Azure, S3: uncommitted blocks are
/// write-only): the engine then reads acknowledged blocks from the source when it needs them.
extension ObjectWriter {
    public func readBackStaged(_ block: BlockRef, into buffer: UnsafeMutableRawBufferPointer) throws -> Bool { false }
}

/// Default for stores that cannot tell whether blocks were staged before the writer existed.
extension ObjectWriter {
    public var mayHoldEarlierBlocks: Bool { true }
}
