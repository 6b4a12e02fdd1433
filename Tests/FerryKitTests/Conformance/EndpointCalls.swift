import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Thin wrappers over the `Endpoint` protocol for the conformance scenarios: every call goes
/// through the protocol, never a backend's own API. Stateless; safe from any thread.
enum EndpointCalls {
    /// Writes `data` in one request (a plan whose block size is larger than the object).
    static func put(_ endpoint: any Endpoint, _ path: String, _ data: Data,
                    properties: ObjectProperties = ObjectProperties()) throws {
        let writer = try endpoint.makeWriter(for: path, plan: ObjectWritePlan(sizeBytes: Int64(data.count),
                                                                               blockSizeBytes: max(data.count, 1) * 2))
        try data.withUnsafeBytes { bytes in
            try writer.writeWhole(bytes, checksums: BlockChecksums(crc64: CRC64.checksum(bytes)), properties: properties,
                                  meter: UnmeteredTransfer())
        }
    }

    /// Reads `range` and returns what came back (shorter at the end of the object).
    static func read(_ endpoint: any Endpoint, _ path: String, _ range: Range<Int64>) throws -> Data {
        var buffer = Data(count: range.count)
        let got = try buffer.withUnsafeMutableBytes { try endpoint.read(path, range: range, into: $0, meter: UnmeteredTransfer()) }
        #expect(got >= 0 && got <= range.count, "read returned \(got) for a \(range.count)-byte range")
        return buffer.prefix(max(0, min(got, range.count)))
    }

    static func readAll(_ endpoint: any Endpoint, _ path: String) throws -> Data? {
        guard let info = try endpoint.stat(path) else { return nil }
        return try read(endpoint, path, 0..<info.sizeBytes)
    }

    static func list(_ endpoint: any Endpoint, prefix: String = "", recursive: Bool = true) throws -> [ObjectInfo] {
        var listing = try endpoint.list(prefix: prefix, recursive: recursive)
        var objects: [ObjectInfo] = []
        while let next = try listing.next() {
            objects.append(next)
            if objects.count > 100_000 { break }  // a listing that never ends must not hang the suite
        }
        return objects
    }

    /// The block size a scenario uses on `endpoint`: small, but never below its minimum.
    static func blockSize(for endpoint: any Endpoint, atLeast bytes: Int = 64 << 10) -> Int {
        max(endpoint.capabilities.minimumBlockSizeBytes, bytes)
    }

    /// Blocks of `blockSizeBytes` covering `data` (the last one shorter), named after their bytes
    /// as the engine names them.
    static func blocks(of data: Data, blockSizeBytes: Int) -> [BlockRef] {
        let layout = BlockID.layout(sizeBytes: Int64(data.count), blockSizeBytes: blockSizeBytes)
        return stride(from: 0, to: data.count, by: blockSizeBytes).enumerated().map { index, offset in
            let end = min(offset + blockSizeBytes, data.count)
            return BlockRef(index: index, offset: Int64(offset), length: end - offset, layout: layout)
                .withContent(crc64: CRC64.checksum(data[offset..<end]))
        }
    }

    static func plan(_ data: Data, blockSizeBytes: Int, resumeToken: String? = nil) -> ObjectWritePlan {
        ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: blockSizeBytes, resumeToken: resumeToken)
    }

    /// Stages `block` of `data`; returns the writer's receipt.
    @discardableResult
    static func stage(_ writer: any ObjectWriter, _ block: BlockRef, of data: Data) throws -> String? {
        let range = Int(block.offset)..<(Int(block.offset) + block.length)
        return try data[range].withUnsafeBytes { bytes in
            try writer.stage(block, data: bytes, checksums: BlockChecksums(crc64: CRC64.checksum(bytes)), meter: UnmeteredTransfer())
        }
    }

    /// Stages every block, in parallel and in the order given; returns receipts by block index.
    static func stageConcurrently(_ writer: any ObjectWriter, _ blocks: [BlockRef], of data: Data) throws -> [Int: String?] {
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: blocks.count) { position in
            let block = blocks[position]
            do {
                results.record(block.index, receipt: try stage(writer, block, of: data))
            } catch {
                results.record(error)
            }
        }
        return try results.receipts()
    }

    /// The error a throwing call threw, or nil when it returned.
    static func error(_ call: () throws -> Void) -> (any Error)? {
        do {
            try call()
            return nil
        } catch {
            return error
        }
    }
}
