import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Block writers: stage, commit, abort, stagedBlocks, through the protocol only.
extension EndpointConformanceTests {
    @Test(arguments: ConformanceTarget.allCases)
    func blocksCommittedInOrderGiveTheExactBytes(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let data = patternData(blockSize * 2 + 1234, seed: 21)
            let blocks = EndpointCalls.blocks(of: data, blockSizeBytes: blockSize)
            let writer = try endpoint.makeWriter(for: "dir/blocks.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            let receipts = try blocks.map { try EndpointCalls.stage(writer, $0, of: data) }
            // Until commit returns, readers see no object.
            #expect(try endpoint.stat("dir/blocks.bin") == nil)
            let listedBeforeCommit = try EndpointCalls.list(endpoint).map(\.path)
            #expect(listedBeforeCommit == [], "a writer's partial data is never listed")
            try writer.commit(blocks, receipts: receipts, properties: ObjectProperties(crc64: CRC64.checksum(data)))

            let info = try #require(try endpoint.stat("dir/blocks.bin"))
            #expect(info.sizeBytes == Int64(data.count))
            if Self.keepsProperties(endpoint) { #expect(info.crc64 == CRC64.checksum(data)) }
            #expect(try EndpointCalls.readAll(endpoint, "dir/blocks.bin") == data)
            // A read across a block boundary.
            let boundary = Int64(blockSize)
            #expect(try EndpointCalls.read(endpoint, "dir/blocks.bin", (boundary - 5)..<(boundary + 5))
                    == data[(blockSize - 5)..<(blockSize + 5)])
            #expect(try EndpointCalls.list(endpoint).map(\.path) == ["dir/blocks.bin"])
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func blocksStagedOutOfOrderAndInParallel(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let data = patternData(blockSize * 2 + 777, seed: 22)
            let blocks = EndpointCalls.blocks(of: data, blockSizeBytes: blockSize)
            let writer = try endpoint.makeWriter(for: "parallel.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            // Last block first, then the rest all at once.
            let byIndex = try EndpointCalls.stageConcurrently(writer, blocks.reversed(), of: data)
            #expect(byIndex.count == blocks.count)
            let receipts = blocks.map { byIndex[$0.index] ?? nil }
            try writer.commit(blocks, receipts: receipts, properties: ObjectProperties(crc64: CRC64.checksum(data)))
            #expect(try EndpointCalls.readAll(endpoint, "parallel.bin") == data)
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func stagedBlocksAfterAPartialUploadAndItsResume(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let data = patternData(blockSize * 2 + 999, seed: 23)
            let blocks = EndpointCalls.blocks(of: data, blockSizeBytes: blockSize)
            let first = try endpoint.makeWriter(for: "resume.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            let receipt0 = try EndpointCalls.stage(first, blocks[0], of: data)
            let receipt2 = try EndpointCalls.stage(first, blocks[2], of: data)

            // A fresh writer, as a resumed job on another process makes it: only the token carries over.
            let second = try endpoint.makeWriter(for: "resume.bin",
                                                 plan: EndpointCalls.plan(data, blockSizeBytes: blockSize, resumeToken: first.resumeToken))
            #expect(second.resumeToken == first.resumeToken)
            let staged = try second.stagedBlocks()
            if endpoint.capabilities.listsStagedBlocks {
                // The engine matches staged blocks to its records by ID (Azure) or position (S3), and length.
                #expect(staged.count == 2)
                let crcs = blocks.map { block in CRC64.checksum(data[Int(block.offset)..<Int(block.offset) + block.length]) }
                let recorded = Dictionary(uniqueKeysWithValues: (0..<3).map { ($0, DoneBlock(crc64: crcs[$0], receipt: nil)) })
                let reconciled = StagedBlockReconciliation(recorded: recorded, staged: staged, blocks: blocks)
                #expect(Set(reconciled.confirmed.keys) == [0, 2], "staged blocks are recognised, an unstaged one is not")
            } else {
                #expect(staged.isEmpty)
            }

            let receipt1 = try EndpointCalls.stage(second, blocks[1], of: data)
            #expect(try endpoint.stat("resume.bin") == nil)
            try second.commit(blocks, receipts: [receipt0, receipt1, receipt2],
                              properties: ObjectProperties(crc64: CRC64.checksum(data)))
            #expect(try EndpointCalls.readAll(endpoint, "resume.bin") == data)
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func abortLeavesNoObjectAndNeverDestroysACommittedOne(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let data = patternData(blockSize * 2 + 10, seed: 24)
            let blocks = EndpointCalls.blocks(of: data, blockSizeBytes: blockSize)

            // A new object: abort leaves nothing, not even a hidden partial in a listing.
            let fresh = try endpoint.makeWriter(for: "gone.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            try EndpointCalls.stage(fresh, blocks[0], of: data)
            try EndpointCalls.stage(fresh, blocks[1], of: data)
            try fresh.abort()
            #expect(try endpoint.stat("gone.bin") == nil)
            #expect(try EndpointCalls.list(endpoint).isEmpty)

            // An existing object: abort of a replacement keeps it whole.
            let old = patternData(1500, seed: 25)
            try EndpointCalls.put(endpoint, "kept.bin", old)
            let replacement = try endpoint.makeWriter(for: "kept.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            try EndpointCalls.stage(replacement, blocks[1], of: data)
            try replacement.abort()
            #expect(try EndpointCalls.readAll(endpoint, "kept.bin") == old)

            // A writer that staged nothing aborts without touching the object either.
            let idle = try endpoint.makeWriter(for: "kept.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            try idle.abort()
            #expect(try EndpointCalls.readAll(endpoint, "kept.bin") == old)
            #expect(try EndpointCalls.list(endpoint).map(\.path) == ["kept.bin"])
        }
    }

    @Test(arguments: ConformanceTarget.allCases)
    func commitWithMustNotExistKeepsTheExistingObject(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            let blockSize = EndpointCalls.blockSize(for: endpoint)
            let data = patternData(blockSize + 50, seed: 26)
            let blocks = EndpointCalls.blocks(of: data, blockSizeBytes: blockSize)
            let old = patternData(700, seed: 27)
            try EndpointCalls.put(endpoint, "exists.bin", old)

            let writer = try endpoint.makeWriter(for: "exists.bin", plan: EndpointCalls.plan(data, blockSizeBytes: blockSize))
            let receipts = try blocks.map { try EndpointCalls.stage(writer, $0, of: data) }
            let refused = EndpointCalls.error {
                try writer.commit(blocks, receipts: receipts, properties: ObjectProperties(crc64: CRC64.checksum(data), mustNotExist: true))
            }
            #expect((refused as? FerryError)?.code == .destinationExists, "got \(String(describing: refused))")
            try writer.abort()
            #expect(try EndpointCalls.readAll(endpoint, "exists.bin") == old)
            #expect(try EndpointCalls.list(endpoint).map(\.path) == ["exists.bin"])
        }
    }
}
