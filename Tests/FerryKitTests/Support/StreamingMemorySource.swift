import Foundation
@testable import FerryKit

/// A `MemoryEndpoint` that can also stream (as the Azure and S3 endpoints do), handing ranges
/// out in small pieces and counting calls, so tests see which path the engine took. It can cut
/// the first stream of one block short, after half its bytes, with a retryable error.
/// Thread-safe: counters behind `lock` (`@unchecked Sendable`).
final class StreamingMemorySource: StreamingEndpoint, @unchecked Sendable {
    let store: MemoryEndpoint
    let pieceBytes: Int
    private let lock = NSLock()
    private var streamRanges: [Range<Int64>] = []
    private var readCount = 0
    private var cutBlockStart: Int64?

    /// False: listings carry no checksums (as S3's ListObjectsV2); `stat` still has them.
    let listsChecksums: Bool

    init(_ store: MemoryEndpoint, pieceBytes: Int = 10_000, cutFirstStreamAt blockStart: Int64? = nil,
         listsChecksums: Bool = true) {
        self.store = store
        self.pieceBytes = pieceBytes
        cutBlockStart = blockStart
        self.listsChecksums = listsChecksums
    }

    var streamCalls: [Range<Int64>] { lock.withLock { streamRanges } }
    var readCalls: Int { lock.withLock { readCount } }

    var redactedDescription: String { store.redactedDescription }
    var capabilities: EndpointCapabilities { store.capabilities }
    func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        var listing = try store.list(prefix: prefix, recursive: recursive)
        guard !listsChecksums else { return listing }
        var items: [ObjectInfo] = []
        while var info = try listing.next() {
            info.crc64 = nil
            info.contentMD5 = nil
            items.append(info)
        }
        return ArrayListing(items: items)
    }
    func stat(_ path: String) throws -> ObjectInfo? { try store.stat(path) }
    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter { try store.makeWriter(for: path, plan: plan) }
    func delete(_ path: String) throws { try store.delete(path) }
    func prepareDestination() throws { try store.prepareDestination() }

    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
              meter: any TransferMeter) throws -> Int {
        lock.withLock { readCount += 1 }
        return try store.read(path, range: range, into: buffer, meter: meter)
    }

    func stream(_ path: String, range: Range<Int64>, meter: any TransferMeter,
                into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let cut: Bool = lock.withLock {
            streamRanges.append(range)
            guard cutBlockStart == range.lowerBound else { return false }
            cutBlockStart = nil
            return true
        }
        guard let data = store.object(path)?.data else { throw FerryError(.notFound, "no \(path)", disposition: .skipItem) }
        let upper = min(Int(range.upperBound), data.count)
        var offset = Int(range.lowerBound)
        let stopAt = cut ? offset + (upper - offset) / 2 : upper
        while offset < upper {
            if offset >= stopAt {
                throw FerryError(.network, "connection reset halfway (test)", disposition: .retry)
            }
            let end = min(offset + pieceBytes, upper)
            try data[offset..<end].withUnsafeBytes { try sink($0) }
            meter.account(end - offset)
            offset = end
        }
        return max(0, upper - Int(range.lowerBound))
    }
}
