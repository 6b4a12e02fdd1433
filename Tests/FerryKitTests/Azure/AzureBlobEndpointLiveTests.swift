import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// The Azure endpoint against a real `ferry-emulator` process on 127.0.0.1 (no mocked HTTP).
@Suite struct AzureBlobEndpointLiveTests {
    typealias Support = AzureTestSupport

    @Test func putWholeStatReadRangesDelete() throws {
        try withEmulator { emulator in
            try Support.createContainer("c01", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01/root dir")
            let data = Data("hello world".utf8)
            let meter = CountingMeter()
            let writer = try endpoint.makeWriter(for: "sub/ünï code.txt", plan: ObjectWritePlan(sizeBytes: 11, blockSizeBytes: 1 << 20))
            let properties = ObjectProperties(contentType: "text/plain", contentMD5: Digests.md5(data),
                                              crc64: CRC64.checksum(data), metadata: ["Owner": "ferry"])
            try data.withUnsafeBytes {
                try writer.writeWhole($0, checksums: BlockChecksums(crc64: CRC64.checksum(data)), properties: properties, meter: meter)
            }
            #expect(meter.bytes == data.count)

            let info = try #require(try endpoint.stat("sub/ünï code.txt"))
            #expect(info.path == "sub/ünï code.txt")
            #expect(info.sizeBytes == 11)
            #expect(info.contentMD5 == Digests.md5(data))
            #expect(info.crc64 == CRC64.checksum(data))
            #expect(info.contentType == "text/plain")
            #expect(info.metadata["owner"] == "ferry")
            #expect(info.etag?.isEmpty == false)
            #expect(info.lastModified != nil)

            var buffer = Data(count: 100)
            let readMeter = CountingMeter()
            func read(_ range: Range<Int64>) throws -> Data {
                let count = try buffer.withUnsafeMutableBytes { try endpoint.read("sub/ünï code.txt", range: range, into: $0, meter: readMeter) }
                return buffer.prefix(count)
            }
            #expect(try read(0..<5) == Data("hello".utf8))
            #expect(try read(6..<11) == Data("world".utf8))
            #expect(try read(6..<100) == Data("world".utf8))   // the object is shorter than the range
            #expect(try read(11..<20) == Data())              // starts at the end
            #expect(readMeter.bytes == 15)

            try endpoint.delete("sub/ünï code.txt")
            #expect(try endpoint.stat("sub/ünï code.txt") == nil)
            try endpoint.delete("sub/ünï code.txt")   // deleting a missing blob is not an error
        }
    }

    @Test func missingBlobReadIsNotFound() throws {
        try withEmulator { emulator in
            try Support.createContainer("c01", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01")
            var buffer = Data(count: 10)
            do {
                _ = try buffer.withUnsafeMutableBytes { try endpoint.read("nope.bin", range: 0..<10, into: $0, meter: UnmeteredTransfer()) }
                Issue.record("read a missing blob")
            } catch let error as FerryError {
                #expect(error.code == .notFound)
                #expect(error.disposition == .skipItem)
                #expect(error.message.contains("nope.bin"))
            }
        }
    }

    @Test func stagedBlocksCommitAndRead() throws {
        try withEmulator { emulator in
            try Support.createContainer("c02", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c02", connectionCount: 3)
            let blockSize = 256 << 10
            let data = Support.bytes(blockSize * 5 + 1234)
            let layout = BlockID.layout(sizeBytes: Int64(data.count), blockSizeBytes: blockSize)
            let blocks = stride(from: 0, to: data.count, by: blockSize).enumerated().map { index, offset in
                BlockRef(index: index, offset: Int64(offset), length: min(blockSize, data.count - offset), layout: layout)
                    .withContent(crc64: CRC64.checksum(data[offset..<min(offset + blockSize, data.count)]))
            }
            let writer = try endpoint.makeWriter(for: "big.bin", plan: ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: blockSize))
            #expect(try writer.stagedBlocks().isEmpty)

            @Sendable func stage(_ block: BlockRef) throws {
                let slice = data[Int(block.offset)..<Int(block.offset) + block.length]
                _ = try slice.withUnsafeBytes {
                    try writer.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum($0)), meter: UnmeteredTransfer())
                }
            }
            // A partial upload: the first two blocks.
            try stage(blocks[0])
            try stage(blocks[1])
            let staged = try writer.stagedBlocks()
            #expect(Set(staged.map(\.id)) == Set(blocks[0...1].map(\.id)))
            #expect(staged.allSatisfy { $0.sizeBytes == Int64(blockSize) })
            #expect(try endpoint.stat("big.bin") == nil)   // uncommitted blobs are invisible

            // The rest in parallel, as the engine does.
            let failures = CountingMeter()
            DispatchQueue.concurrentPerform(iterations: blocks.count - 2) { offset in
                do { try stage(blocks[offset + 2]) } catch { failures.account(1) }
            }
            #expect(failures.bytes == 0)
            #expect(try writer.stagedBlocks().count == blocks.count)

            let crc = CRC64.checksum(data)
            try writer.commit(blocks, receipts: blocks.map { _ in nil },
                              properties: ObjectProperties(contentType: "application/x-test", crc64: crc, metadata: ["k": "v"]))
            let info = try #require(try endpoint.stat("big.bin"))
            #expect(info.sizeBytes == Int64(data.count))
            #expect(info.crc64 == crc)
            #expect(info.contentType == "application/x-test")
            #expect(info.contentMD5 == nil)   // Put Block List stores no MD5 unless given one
            #expect(try writer.stagedBlocks().isEmpty)
            #expect(try Support.readAll(endpoint, "big.bin", size: data.count) == data)

            // A range across a block boundary.
            var buffer = Data(count: 1000)
            let start = Int64(blockSize - 500)
            let count = try buffer.withUnsafeMutableBytes { try endpoint.read("big.bin", range: start..<start + 1000, into: $0, meter: UnmeteredTransfer()) }
            #expect(count == 1000)
            #expect(buffer == data[Int(start)..<Int(start) + 1000])
        }
    }

    @Test func abortDropsOnlyUncommittedUploads() throws {
        try withEmulator { emulator in
            try Support.createContainer("c03", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c03")
            let block = BlockRef(index: 0, offset: 0, length: 4, layout: 7).withContent(crc64: UInt64(0))
            let payload = Data("abcd".utf8)

            // Only staged blocks: abort deletes them.
            let fresh = try endpoint.makeWriter(for: "fresh.bin", plan: ObjectWritePlan(sizeBytes: 4, blockSizeBytes: 4))
            _ = try payload.withUnsafeBytes { try fresh.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum(payload)), meter: UnmeteredTransfer()) }
            #expect(try fresh.stagedBlocks().count == 1)
            try fresh.abort()
            #expect(try fresh.stagedBlocks().isEmpty)

            // A good old blob plus new staged blocks: abort keeps the old blob.
            let old = Data("the old good content".utf8)
            try Support.writeWhole(endpoint, "kept.bin", old)
            let replacing = try endpoint.makeWriter(for: "kept.bin", plan: ObjectWritePlan(sizeBytes: 4, blockSizeBytes: 4))
            _ = try payload.withUnsafeBytes { try replacing.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum(payload)), meter: UnmeteredTransfer()) }
            try replacing.abort()
            #expect(try Support.readAll(endpoint, "kept.bin", size: old.count) == old)
        }
    }

    @Test func mustNotExistRefusesToReplace() throws {
        try withEmulator { emulator in
            try Support.createContainer("c04", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c04")
            try Support.writeWhole(endpoint, "a.bin", Data("one".utf8))
            do {
                try Support.writeWhole(endpoint, "a.bin", Data("two".utf8), properties: ObjectProperties(mustNotExist: true))
                Issue.record("replaced an existing blob")
            } catch let error as FerryError {
                #expect(error.code == .destinationExists)
                #expect(error.disposition == .skipItem)
            }
            let writer = try endpoint.makeWriter(for: "a.bin", plan: ObjectWritePlan(sizeBytes: 3, blockSizeBytes: 3))
            let block = BlockRef(index: 0, offset: 0, length: 3, layout: 1).withContent(crc64: UInt64(0))
            let payload = Data("two".utf8)
            _ = try payload.withUnsafeBytes { try writer.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum(payload)), meter: UnmeteredTransfer()) }
            #expect(throws: FerryError.self) {
                try writer.commit([block], receipts: [nil], properties: ObjectProperties(mustNotExist: true))
            }
            #expect(try Support.readAll(endpoint, "a.bin", size: 3) == Data("one".utf8))
            // Without the condition the same commit replaces it.
            try writer.commit([block], receipts: [nil], properties: ObjectProperties())
            #expect(try Support.readAll(endpoint, "a.bin", size: 3) == Data("two".utf8))
        }
    }

    @Test func listingFollowsPagesRelativeToTheRoot() throws {
        try withEmulator { emulator in
            try Support.createContainer("c05", on: emulator)
            let writerEndpoint = try Support.endpoint(emulator.accountURL + "/c05")
            var expected: [String] = []
            for index in 0..<11 {
                let name = String(format: "f%02d.bin", index)
                try Support.writeWhole(writerEndpoint, "data/" + name, Support.bytes(index + 1),
                                       properties: ObjectProperties(crc64: CRC64.checksum(Support.bytes(index + 1))))
                expected.append(name)
            }
            for name in ["sub/x.bin", "sub/y z.bin"] {
                try Support.writeWhole(writerEndpoint, "data/" + name, Data("x".utf8))
                expected.append(name)
            }
            try Support.writeWhole(writerEndpoint, "data-other.bin", Data("x".utf8))
            try Support.writeWhole(writerEndpoint, "elsewhere/e.bin", Data("x".utf8))

            let endpoint = try Support.endpoint(emulator.accountURL + "/c05/data/", listPageSize: 3)
            let all = try Support.collect(try endpoint.list(prefix: "", recursive: true))
            #expect(all.map(\.path) == expected.sorted())
            #expect(all.first?.sizeBytes == 1)
            #expect(all.first?.crc64 == CRC64.checksum(Support.bytes(1)))

            let top = try Support.collect(try endpoint.list(prefix: "", recursive: false))
            #expect(top.map(\.path) == expected.filter { !$0.hasPrefix("sub/") }.sorted())

            let sub = try Support.collect(try endpoint.list(prefix: "sub/", recursive: true))
            #expect(sub.map(\.path) == ["sub/x.bin", "sub/y z.bin"])
            let matching = try Support.collect(try endpoint.list(prefix: "f1", recursive: true))
            #expect(matching.map(\.path) == ["f10.bin"])
        }
    }

    @Test func busyServiceIsRetryableWithRetryAfter() throws {
        try withEmulator(arguments: ["--fault", "busy:ops=GetBlobProperties,count=1,retry-after=3"]) { emulator in
            try Support.createContainer("c06", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c06")
            do {
                _ = try endpoint.stat("x.bin")
                Issue.record("the injected 503 did not surface")
            } catch let error as FerryError {
                #expect(error.code == .serviceBusy)
                #expect(error.disposition == .retry)
                #expect(error.retryAfterSeconds == 3)
            }
            #expect(try endpoint.stat("x.bin") == nil)   // the fault was spent: one attempt per call
        }
    }
}

/// A listing longer than the service's 5000-entry page, at the default page size.
@Suite struct AzureLongListingLiveTests {
    @Test func moreThanOneFullPage() throws {
        try withEmulator { emulator in
            try AzureTestSupport.createContainer("long", on: emulator)
            let endpoint = try AzureTestSupport.endpoint(emulator.accountURL + "/long", connectionCount: 8)
            let count = 5003
            let failures = CountingMeter()
            DispatchQueue.concurrentPerform(iterations: count) { index in
                do {
                    try AzureTestSupport.writeWhole(endpoint, String(format: "n/%05d", index), Data())
                } catch {
                    failures.account(1)
                }
            }
            #expect(failures.bytes == 0)
            let listed = try AzureTestSupport.collect(try endpoint.list(prefix: "n/", recursive: true)).map(\.path)
            #expect(listed.count == count)
            #expect(listed == (0..<count).map { String(format: "n/%05d", $0) })
        }
    }
}
