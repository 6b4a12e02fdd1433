import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// How the endpoint classifies failures the emulator injects, and edge sizes. Each call makes one
/// attempt; the engine retries, so a retryable failure must leave the next attempt able to succeed.
@Suite struct AzureFaultLiveTests {
    typealias Support = AzureTestSupport

    @Test func damagedBlockIsAChecksumMismatchToResend() throws {
        try withEmulator(arguments: ["--fault", "corrupt-request:ops=PutBlock,count=1"]) { emulator in
            try Support.createContainer("c01", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01")
            let data = Support.bytes(70_000)
            let block = BlockRef(index: 0, offset: 0, length: data.count, layout: 3).withContent(crc64: UInt64(0))
            let writer = try endpoint.makeWriter(for: "b.bin", plan: ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: data.count))
            func stage() throws {
                _ = try data.withUnsafeBytes {
                    try writer.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum(data)), meter: UnmeteredTransfer())
                }
            }
            do {
                try stage()
                Issue.record("a damaged block was accepted")
            } catch let error as FerryError {
                #expect(error.code == .checksumMismatch)
                #expect(error.disposition == .retry)
            }
            try stage()
            try writer.commit([block], receipts: [nil], properties: ObjectProperties())
            #expect(try Support.readAll(endpoint, "b.bin", size: data.count) == data)
        }
    }

    @Test func droppedDownloadIsARetryableNetworkError() throws {
        try withEmulator(arguments: ["--fault", "drop:ops=GetBlob,count=1"]) { emulator in
            try Support.createContainer("c02", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c02")
            let data = Support.bytes(300_000)
            try Support.writeWhole(endpoint, "d.bin", data)
            do {
                _ = try Support.readAll(endpoint, "d.bin", size: data.count)
                Issue.record("a dropped download succeeded")
            } catch let error as FerryError {
                #expect(error.code == .network)
                #expect(error.disposition == .retry)
            }
            #expect(try Support.readAll(endpoint, "d.bin", size: data.count) == data)
        }
    }

    @Test func serverTimeoutIsRetryable() throws {
        try withEmulator(arguments: ["--fault", "timeout:ops=PutBlob,count=1"]) { emulator in
            try Support.createContainer("c03", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c03")
            do {
                try Support.writeWhole(endpoint, "t.bin", Data("x".utf8))
                Issue.record("the injected timeout did not surface")
            } catch let error as FerryError {
                #expect(error.code == .serviceBusy)
                #expect(error.disposition == .retry)
            }
            try Support.writeWhole(endpoint, "t.bin", Data("x".utf8))
            #expect(try endpoint.stat("t.bin")?.sizeBytes == 1)
        }
    }

    @Test func emptyBlobs() throws {
        try withEmulator { emulator in
            try Support.createContainer("c04", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c04")
            try Support.writeWhole(endpoint, "whole-empty", Data(), properties: ObjectProperties(crc64: 0))
            let writer = try endpoint.makeWriter(for: "committed-empty", plan: ObjectWritePlan(sizeBytes: 0, blockSizeBytes: 1))
            try writer.commit([], receipts: [], properties: ObjectProperties())
            for name in ["whole-empty", "committed-empty"] {
                #expect(try endpoint.stat(name)?.sizeBytes == 0)
                var buffer = Data(count: 16)
                let count = try buffer.withUnsafeMutableBytes { try endpoint.read(name, range: 0..<16, into: $0, meter: UnmeteredTransfer()) }
                #expect(count == 0)
            }
            #expect(try endpoint.stat("whole-empty")?.crc64 == 0)
            #expect(try Support.collect(try endpoint.list(prefix: "", recursive: true)).map(\.path) == ["committed-empty", "whole-empty"])
        }
    }

    @Test func stagedBlocksSurviveARestartOfTheClient() throws {
        try withEmulator { emulator in
            try Support.createContainer("c05", on: emulator)
            let data = Support.bytes(3000)
            let blocks = (0..<3).map { BlockRef(index: $0, offset: Int64($0 * 1000), length: 1000, layout: 9).withContent(crc64: UInt64($0)) }
            do {
                // A first run stages two blocks, then "crashes" (the endpoint goes away).
                let first = try Support.endpoint(emulator.accountURL + "/c05")
                let writer = try first.makeWriter(for: "r.bin", plan: ObjectWritePlan(sizeBytes: 3000, blockSizeBytes: 1000))
                for block in blocks.prefix(2) {
                    _ = try data[Int(block.offset)..<Int(block.offset) + 1000].withUnsafeBytes {
                        try writer.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum($0)), meter: UnmeteredTransfer())
                    }
                }
            }
            // A fresh endpoint learns what is staged and sends only the rest.
            let second = try Support.endpoint(emulator.accountURL + "/c05")
            let writer = try second.makeWriter(for: "r.bin", plan: ObjectWritePlan(sizeBytes: 3000, blockSizeBytes: 1000))
            let staged = Set(try writer.stagedBlocks().map(\.id))
            #expect(staged == Set(blocks.prefix(2).map(\.id)))
            for block in blocks where !staged.contains(block.id) {
                _ = try data[Int(block.offset)..<Int(block.offset) + 1000].withUnsafeBytes {
                    try writer.stage(block, data: $0, checksums: BlockChecksums(crc64: CRC64.checksum($0)), meter: UnmeteredTransfer())
                }
            }
            try writer.commit(blocks, receipts: [nil, nil, nil], properties: ObjectProperties(crc64: CRC64.checksum(data)))
            #expect(try Support.readAll(second, "r.bin", size: 3000) == data)
        }
    }
}
