import FerryChecksums
import Foundation
@testable import FerryKit

/// An in-memory object store that behaves like a remote one: it lists, stores Content-MD5 and
/// Ferry's CRC-64 metadata, keeps uncommitted blocks by ID and lists them. Used to test uploads
/// and downloads without a network. Thread-safe: everything behind `lock` (`@unchecked Sendable`).
final class MemoryEndpoint: Endpoint, @unchecked Sendable {
    struct Stored {
        var data: Data
        var info: ObjectInfo
        var properties: ObjectProperties?
    }

    private let lock = NSLock()
    private var objects: [String: Stored] = [:]
    private var staged: [String: [String: Data]] = [:]
    private var stageCalls: [String: [Int]] = [:]
    let capabilities: EndpointCapabilities
    var redactedDescription: String { "memory://test" }

    /// Lists staged blocks as S3 does: by position (id = part number, `index` set), not by Ferry's ID.
    let listsByPosition: Bool
    /// The plans `makeWriter` was given, by path (what a store could fix at upload creation).
    private(set) var writePlans: [String: ObjectWritePlan] = [:]

    /// With `listsByPosition`: each listed part says the MD5 of its bytes, as an S3 ETag does.
    let listsPartMD5s: Bool

    init(storesContentMD5: Bool = true, listsStagedBlocks: Bool = true, listsByPosition: Bool = false,
         listsPartMD5s: Bool = false) {
        self.listsByPosition = listsByPosition
        self.listsPartMD5s = listsPartMD5s
        capabilities = EndpointCapabilities(storesContentMD5: storesContentMD5, listsStagedBlocks: listsStagedBlocks,
                                            minimumBlockSizeBytes: 0, maximumBlockCount: 50_000,
                                            maximumBlockSizeBytes: 4000 << 20, isRemote: true)
    }

    /// Puts an object as a source, with whatever checksums the test wants it to claim.
    func put(_ path: String, _ data: Data, contentMD5: Data? = nil, crc64: UInt64? = nil) {
        let info = ObjectInfo(path: path, sizeBytes: Int64(data.count), lastModified: Date(timeIntervalSince1970: 1_700_000_000),
                              contentMD5: contentMD5, crc64: crc64)
        lock.lock()
        objects[path] = Stored(data: data, info: info)
        lock.unlock()
    }

    func object(_ path: String) -> Stored? {
        lock.lock()
        defer { lock.unlock() }
        return objects[path]
    }

    func stagedBlockCount(_ path: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return staged[path]?.count ?? 0
    }

    /// Loses one uncommitted block, as a store may (garbage collection, a different client).
    func loseOneStagedBlock(_ path: String) {
        lock.lock()
        if let id = staged[path]?.keys.sorted().first { staged[path]?[id] = nil }
        lock.unlock()
    }

    func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        lock.lock()
        defer { lock.unlock() }
        let infos = objects.values.map(\.info).filter { $0.path.hasPrefix(prefix) }
            .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return ArrayListing(items: infos)
    }

    func stat(_ path: String) throws -> ObjectInfo? { object(path)?.info }

    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
              meter: any TransferMeter) throws -> Int {
        guard let stored = object(path) else { throw FerryError(.notFound, "no \(path)", disposition: .skipItem) }
        let upper = min(Int(range.upperBound), stored.data.count)
        let lower = Int(range.lowerBound)
        guard lower <= upper else { return 0 }
        stored.data.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: lower..<upper)
        meter.account(upper - lower)
        return upper - lower
    }

    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        lock.lock()
        writePlans[path] = plan
        lock.unlock()
        return MemoryWriter(store: self, path: path)
    }

    func delete(_ path: String) throws {
        lock.lock()
        objects[path] = nil
        lock.unlock()
    }

    fileprivate func stage(_ path: String, index: Int, id: String, data: Data) {
        lock.lock()
        staged[path, default: [:]][id] = data
        stageCalls[path, default: []].append(index)
        lock.unlock()
    }

    /// Block indexes staged for `path` since the last call, in the order they arrived.
    func takeStageCalls(_ path: String) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        let calls = stageCalls[path] ?? []
        stageCalls[path] = nil
        return calls
    }

    fileprivate func stagedList(_ path: String) -> [StagedBlock] {
        lock.lock()
        defer { lock.unlock() }
        return (staged[path] ?? [:]).map { id, data in
            guard listsByPosition else { return StagedBlock(id: id, sizeBytes: Int64(data.count)) }
            // Ferry's IDs name the block index (`BlockID`); S3 would know only the part number.
            let index = BlockID.parse(id)?.index ?? -1
            return StagedBlock(id: String(index + 1), index: index, sizeBytes: Int64(data.count),
                               contentMD5: listsPartMD5s ? Digests.md5(data) : nil)
        }
    }

    fileprivate func store(_ path: String, data: Data, properties: ObjectProperties) throws {
        lock.lock()
        defer { lock.unlock() }
        if properties.mustNotExist && objects[path] != nil {
            throw FerryError(.destinationExists, "\(path) exists", disposition: .skipItem)
        }
        objects[path] = Stored(data: data, info: ObjectInfo(path: path, sizeBytes: Int64(data.count), lastModified: Date(),
                                                           contentMD5: properties.contentMD5, crc64: properties.crc64),
                               properties: properties)
        staged[path] = nil
    }

    fileprivate func blocks(_ path: String, _ ids: [String]) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        var data = Data()
        for id in ids {
            guard let block = staged[path]?[id] else {
                throw FerryError(.protocolViolation, "block \(id) of \(path) was never staged", disposition: .skipItem)
            }
            data += block
        }
        return data
    }

    fileprivate func dropStaged(_ path: String) {
        lock.lock()
        staged[path] = nil
        lock.unlock()
    }
}

struct ArrayListing: ObjectListing {
    var items: [ObjectInfo]
    mutating func next() throws -> ObjectInfo? { items.isEmpty ? nil : items.removeFirst() }
}

private struct MemoryWriter: ObjectWriter {
    let store: MemoryEndpoint
    let path: String
    var resumeToken: String? { nil }

    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums, properties: ObjectProperties,
                    meter: any TransferMeter) throws {
        meter.account(data.count)
        try store.store(path, data: Data(data), properties: properties)
    }

    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums, meter: any TransferMeter) throws -> String? {
        meter.account(data.count)
        guard CRC64.checksum(data) == checksums.crc64 else {
            throw FerryError(.checksumMismatch, "block CRC mismatch", disposition: .retry)
        }
        store.stage(path, index: block.index, id: block.id, data: Data(data))
        return nil
    }

    func stagedBlocks() throws -> [StagedBlock] { store.stagedList(path) }

    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws {
        try store.store(path, data: try store.blocks(path, blocks.map(\.id)), properties: properties)
    }

    func abort() throws { store.dropStaged(path) }
}
