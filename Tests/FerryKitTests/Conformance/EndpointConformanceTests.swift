import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// One conformance suite for every endpoint: each scenario runs unchanged against a local
/// directory, Azure Blob (`ferry-emulator`) and S3 (SeaweedFS), talking only to `Endpoint`.
/// Where backends legitimately differ the scenario reads `capabilities`, never the type.
/// Each case starts its own server; `ConformanceTarget` caps how many of each kind run at once,
/// so the scenarios proceed side by side without crowding a small machine.
@Suite struct EndpointConformanceTests {
    /// Whether the store keeps object properties (content type, user metadata, `ferrycrc64`).
    /// Object stores do and a file system does not; `EndpointCapabilities` has no flag of its
    /// own for it, so remote-ness stands in (see the report: a `storesMetadata` capability would
    /// say it directly).
    static func keepsProperties(_ endpoint: any Endpoint) -> Bool { endpoint.capabilities.isRemote }

    @Test(arguments: ConformanceTarget.allCases)
    func statOfAMissingObjectIsNil(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            #expect(try endpoint.stat("no-such-object.bin") == nil)
            #expect(try endpoint.stat("no/such/directory/object.bin") == nil)
            try EndpointCalls.put(endpoint, "dir/present.bin", Data("x".utf8))
            // A "directory" is not an object, and neither is a name that only starts like one.
            #expect(try endpoint.stat("dir") == nil)
            #expect(try endpoint.stat("dir/present") == nil)
            #expect(try endpoint.stat("dir/present.bin")?.sizeBytes == 1)
            // The root of a tree is not an object either (`stat("")` is for a single-object root).
            #expect(try endpoint.stat("") == nil)
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func wholeObjectStatsAndReadsRanges(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let data = patternData(100_003, seed: 7)
            let size = Int64(data.count)
            try EndpointCalls.put(endpoint, "whole.bin", data)

            let info = try #require(try endpoint.stat("whole.bin"))
            #expect(info.path == "whole.bin")
            #expect(info.sizeBytes == size)
            #expect(info.lastModified != nil)
            if Self.keepsProperties(endpoint) {
                #expect(info.crc64 == CRC64.checksum(data))
            } else {
                #expect(info.crc64 == nil || info.crc64 == CRC64.checksum(data))
            }

            #expect(try EndpointCalls.read(endpoint, "whole.bin", 0..<1) == data.prefix(1))
            #expect(try EndpointCalls.read(endpoint, "whole.bin", 50_000..<50_017) == data[50_000..<50_017])
            #expect(try EndpointCalls.read(endpoint, "whole.bin", (size - 1)..<size) == data.suffix(1))
            #expect(try EndpointCalls.read(endpoint, "whole.bin", 0..<size) == data)
            // Short reads at the end: the part that exists, then nothing past it.
            #expect(try EndpointCalls.read(endpoint, "whole.bin", (size - 10)..<(size + 100)) == data.suffix(10))
            #expect(try EndpointCalls.read(endpoint, "whole.bin", size..<(size + 10)).isEmpty)
            #expect(try EndpointCalls.read(endpoint, "whole.bin", 0..<0).isEmpty)

            // The meter sees every byte a read delivers.
            let meter = CountingMeter()
            var buffer = Data(count: 4096)
            let got = try buffer.withUnsafeMutableBytes { try endpoint.read("whole.bin", range: 1000..<5096, into: $0, meter: meter) }
            #expect(got == 4096)
            #expect(meter.bytes >= got)
            #expect(buffer == data[1000..<5096])
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func zeroByteObjects(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            try EndpointCalls.put(endpoint, "empty.bin", Data())
            let info = try #require(try endpoint.stat("empty.bin"))
            #expect(info.sizeBytes == 0)
            if Self.keepsProperties(endpoint) { #expect(info.crc64 == CRC64.checksum(Data())) }
            #expect(try EndpointCalls.read(endpoint, "empty.bin", 0..<0).isEmpty)
            #expect(try EndpointCalls.read(endpoint, "empty.bin", 0..<16).isEmpty)
            #expect(try EndpointCalls.list(endpoint).map(\.path) == ["empty.bin"])
            #expect(try EndpointCalls.list(endpoint).first?.sizeBytes == 0)
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func replacingAndMustNotExist(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let first = patternData(3000, seed: 1)
            let second = patternData(2000, seed: 2)
            try EndpointCalls.put(endpoint, "o.bin", first)
            try EndpointCalls.put(endpoint, "o.bin", second)
            #expect(try EndpointCalls.readAll(endpoint, "o.bin") == second)

            let refused = EndpointCalls.error {
                try EndpointCalls.put(endpoint, "o.bin", patternData(1000, seed: 3), properties: ObjectProperties(mustNotExist: true))
            }
            #expect((refused as? FerryError)?.code == .destinationExists, "got \(String(describing: refused))")
            #expect(try EndpointCalls.readAll(endpoint, "o.bin") == second)

            // On a new name mustNotExist writes as usual.
            try EndpointCalls.put(endpoint, "new.bin", first, properties: ObjectProperties(mustNotExist: true))
            #expect(try EndpointCalls.readAll(endpoint, "new.bin") == first)
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func deleteRemovesOnlyThatObjectAndMissingIsFine(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            try EndpointCalls.put(endpoint, "dir/a", Data("a".utf8))
            try EndpointCalls.put(endpoint, "dir/a2", Data("a2".utf8))
            try endpoint.delete("dir/a")
            #expect(try endpoint.stat("dir/a") == nil)
            #expect(try EndpointCalls.readAll(endpoint, "dir/a2") == Data("a2".utf8))
            try endpoint.delete("dir/a")
            try endpoint.delete("never/existed.bin")
            #expect(try EndpointCalls.list(endpoint).map(\.path) == ["dir/a2"])
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func propertiesRoundTrip(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let data = patternData(5000, seed: 9)
            let md5 = Digests.md5(data)
            let crc = CRC64.checksum(data)
            let properties = ObjectProperties(contentType: "text/plain", contentMD5: md5, crc64: crc,
                                              metadata: ["FerryOrigin": "conformance suite", "step": "2"])
            try EndpointCalls.put(endpoint, "meta.txt", data, properties: properties)
            let info = try #require(try endpoint.stat("meta.txt"))
            #expect(info.sizeBytes == Int64(data.count))
            guard Self.keepsProperties(endpoint) else {
                #expect(info.crc64 == nil || info.crc64 == crc)
                return
            }
            #expect(info.crc64 == crc)
            #expect(info.contentType == "text/plain")
            #expect(info.metadata["ferryorigin"] == "conformance suite")
            #expect(info.metadata["step"] == "2")
            #expect(info.metadata[ObjectProperties.crc64MetadataKey] == CRC64.azureBase64(crc))
            if endpoint.capabilities.storesContentMD5 { #expect(info.contentMD5 == md5) }

            // The same through blocks: what commit stores, stat gives back.
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let big = patternData(blockSize * 2 + 100, seed: 10)
            let blocks = EndpointCalls.blocks(of: big, blockSizeBytes: blockSize)
            let writer = try endpoint.makeWriter(for: "meta-blocks.bin", plan: EndpointCalls.plan(big, blockSizeBytes: blockSize))
            let receipts = try blocks.map { try EndpointCalls.stage(writer, $0, of: big) }
            var committed = properties
            committed.contentMD5 = nil
            committed.crc64 = CRC64.checksum(big)
            try writer.commit(blocks, receipts: receipts, properties: committed)
            let blockInfo = try #require(try endpoint.stat("meta-blocks.bin"))
            #expect(blockInfo.crc64 == CRC64.checksum(big))
            #expect(blockInfo.contentType == "text/plain")
            #expect(blockInfo.metadata["ferryorigin"] == "conformance suite")
            #expect(try EndpointCalls.readAll(endpoint, "meta-blocks.bin") == big)
        }
    }
}
