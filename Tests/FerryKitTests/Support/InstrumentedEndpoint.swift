import Foundation
@testable import FerryKit

/// Wraps an endpoint to watch and disturb it: records every read range, can fail `stage` from a
/// given block index on, and can add entries to listings (e.g. a hostile `../` path).
final class InstrumentedEndpoint: Endpoint, @unchecked Sendable {
    let inner: any Endpoint
    private let lock = NSLock()
    private var readRanges: [(String, Range<Int64>)] = []
    /// `stage` of a block at or beyond this index throws this error.
    var failStage: (fromIndex: Int, error: FerryError)?
    var extraListing: [ObjectInfo] = []
    var reportsRemote = false

    init(_ inner: any Endpoint) { self.inner = inner }

    var reads: [(String, Range<Int64>)] {
        lock.lock()
        defer { lock.unlock() }
        return readRanges
    }

    var redactedDescription: String { inner.redactedDescription }
    var capabilities: EndpointCapabilities {
        var capabilities = inner.capabilities
        if reportsRemote { capabilities.isRemote = true }
        return capabilities
    }

    func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        MergedListing(inner: try inner.list(prefix: prefix, recursive: recursive), extra: extraListing)
    }

    func stat(_ path: String) throws -> ObjectInfo? {
        if let extra = extraListing.first(where: { $0.path == path }) { return extra }
        return try inner.stat(path)
    }

    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
              meter: any TransferMeter) throws -> Int {
        lock.lock()
        readRanges.append((path, range))
        lock.unlock()
        if extraListing.contains(where: { $0.path == path }) {
            for index in 0..<range.count { buffer[index] = 0x41 }
            return range.count
        }
        return try inner.read(path, range: range, into: buffer, meter: meter)
    }

    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        let writer = try inner.makeWriter(for: path, plan: plan)
        guard let failStage else { return writer }
        return FailingWriter(inner: writer, failFromIndex: failStage.fromIndex, error: failStage.error)
    }

    func delete(_ path: String) throws { try inner.delete(path) }
}

private struct MergedListing: ObjectListing {
    var inner: any ObjectListing
    var extra: [ObjectInfo]
    mutating func next() throws -> ObjectInfo? {
        if !extra.isEmpty { return extra.removeFirst() }
        return try inner.next()
    }
}

private struct FailingWriter: ObjectWriter {
    let inner: any ObjectWriter
    let failFromIndex: Int
    let error: FerryError
    var resumeToken: String? { inner.resumeToken }
    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums, properties: ObjectProperties,
                    meter: any TransferMeter) throws {
        try inner.writeWhole(data, checksums: checksums, properties: properties, meter: meter)
    }
    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums,
               meter: any TransferMeter) throws -> String? {
        if block.index >= failFromIndex { throw error }
        return try inner.stage(block, data: data, checksums: checksums, meter: meter)
    }
    func stagedBlocks() throws -> [StagedBlock] { try inner.stagedBlocks() }
    func readBackStaged(_ block: BlockRef, into buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        try inner.readBackStaged(block, into: buffer)
    }
    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws {
        try inner.commit(blocks, receipts: receipts, properties: properties)
    }
    func abort() throws { try inner.abort() }
}
