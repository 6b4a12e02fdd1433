import FerryChecksums
import Foundation
import Synchronization
import Testing
@testable import FerryKit

/// The S3 endpoint against a real SeaweedFS server on loopback. One server per test; the suite
/// runs serially so that at most one server runs at a time on small machines.
@Suite(.serialized) struct S3LiveTests {
    static func endpoint(_ endpointURL: String, _ accessKey: String, _ secret: String, root: String,
                         listPageSize: Int = 1000) throws -> S3Endpoint {
        try S3Endpoint(url: "s3://\(SeaweedProcess.bucket)/\(root)", options: S3EndpointOptions(endpointURL: endpointURL),
                       credentials: S3CredentialSources(environment: ["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret]),
                       connectionCount: 4, listPageSize: listPageSize)
    }

    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ ($0 >> 12)) }
    }

    static func put(_ endpoint: S3Endpoint, _ path: String, _ data: [UInt8], properties: ObjectProperties = ObjectProperties()) throws {
        let writer = try endpoint.makeWriter(for: path, plan: ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: 8 << 20))
        try data.withUnsafeBytes { buffer in
            try writer.writeWhole(buffer, checksums: BlockChecksums(crc64: CRC64.checksum(buffer)), properties: properties,
                                  meter: UnmeteredTransfer())
        }
    }

    static func read(_ endpoint: S3Endpoint, _ path: String, _ range: Range<Int64>) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: range.count)
        let count = try buffer.withUnsafeMutableBytes { try endpoint.read(path, range: range, into: $0, meter: UnmeteredTransfer()) }
        return Array(buffer.prefix(count))
    }

    static func listAll(_ endpoint: S3Endpoint, prefix: String = "", recursive: Bool = true) throws -> [ObjectInfo] {
        var listing = try endpoint.list(prefix: prefix, recursive: recursive)
        var objects: [ObjectInfo] = []
        while let object = try listing.next() { objects.append(object) }
        return objects
    }

    @Test func listFollowsContinuationTokens() throws {
        try withSeaweed { url, key, secret in
            let endpoint = try Self.endpoint(url, key, secret, root: "listing", listPageSize: 2)
            let outside = try Self.endpoint(url, key, secret, root: "listing-other")
            try Self.put(outside, "not-mine.txt", [1])
            let paths = ["a.txt", "b c.txt", "d+e.txt", "dir/f.txt", "dir/sub/g.txt", "z/ü.txt", "zz.txt"]
            for (index, path) in paths.enumerated() { try Self.put(endpoint, path, Self.bytes(index + 1, seed: 1)) }

            let all = try Self.listAll(endpoint)
            #expect(all.map(\.path) == paths)
            #expect(all.map(\.sizeBytes) == (1...paths.count).map(Int64.init))
            #expect(all.allSatisfy { $0.lastModified != nil && $0.etag != nil })
            #expect(try Self.listAll(endpoint, recursive: false).map(\.path) == ["a.txt", "b c.txt", "d+e.txt", "zz.txt"])
            #expect(try Self.listAll(endpoint, prefix: "dir/").map(\.path) == ["dir/f.txt", "dir/sub/g.txt"])
            #expect(try Self.listAll(endpoint, prefix: "dir/", recursive: false).map(\.path) == ["dir/f.txt"])
            #expect(try Self.listAll(endpoint, prefix: "nothing-here").isEmpty)
        }
    }

    @Test func wholeObjectPutStatReadDelete() throws {
        try withSeaweed { url, key, secret in
            let endpoint = try Self.endpoint(url, key, secret, root: "whole")
            let data = Self.bytes(100_000, seed: 7)
            let crc = data.withUnsafeBytes { CRC64.checksum($0) }
            try Self.put(endpoint, "x/data.bin", data, properties: ObjectProperties(
                contentType: "application/x-test", contentMD5: Digests.md5(data), metadata: ["Origin": "unit"]))

            let info = try #require(try endpoint.stat("x/data.bin"))
            #expect(info.sizeBytes == 100_000)
            #expect(info.crc64 == crc)
            #expect(info.metadata[ObjectProperties.crc64MetadataKey] == CRC64.azureBase64(crc))
            #expect(info.metadata["origin"] == "unit")
            #expect(info.contentType == "application/x-test")
            #expect(info.etag == Digests.hex(Digests.md5(data)))

            #expect(try Self.read(endpoint, "x/data.bin", 0..<100_000) == data)
            #expect(try Self.read(endpoint, "x/data.bin", 12_345..<12_400) == Array(data[12_345..<12_400]))
            #expect(try Self.read(endpoint, "x/data.bin", 99_990..<100_050) == Array(data[99_990...]))
            #expect(try Self.read(endpoint, "x/data.bin", 200_000..<200_010).isEmpty)

            #expect { try Self.put(endpoint, "x/data.bin", [1, 2, 3], properties: ObjectProperties(mustNotExist: true)) } throws: {
                ($0 as? FerryError)?.code == .destinationExists
            }
            #expect(try endpoint.stat("x/missing.bin") == nil)
            #expect { _ = try Self.read(endpoint, "x/missing.bin", 0..<10) } throws: { ($0 as? FerryError)?.code == .notFound }

            try endpoint.delete("x/data.bin")
            #expect(try endpoint.stat("x/data.bin") == nil)
            try endpoint.delete("x/data.bin")
        }
    }

    @Test func multipartUploadStagesResumesAndCompletes() throws {
        try withSeaweed { url, key, secret in
            let endpoint = try Self.endpoint(url, key, secret, root: "multi")
            let blockSize = 5 << 20
            let data = Self.bytes(2 * blockSize + 123_457, seed: 3)
            let blocks = (0..<3).map { index in
                BlockRef(index: index, offset: Int64(index * blockSize), length: min(blockSize, data.count - index * blockSize),
                         layout: 42).withContent(crc64: UInt64(index))
            }
            @Sendable func checksums(_ block: BlockRef) -> BlockChecksums {
                BlockChecksums(crc64: data.withUnsafeBytes {
                    CRC64.checksum(UnsafeRawBufferPointer(rebasing: $0[Int(block.offset)..<(Int(block.offset) + block.length)]))
                })
            }
            @Sendable func stage(_ writer: any ObjectWriter, _ block: BlockRef) throws -> String? {
                try data.withUnsafeBytes { buffer in
                    try writer.stage(block, data: UnsafeRawBufferPointer(rebasing: buffer[Int(block.offset)..<(Int(block.offset) + block.length)]),
                                     checksums: checksums(block), meter: UnmeteredTransfer())
                }
            }
            let plan = ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: blockSize)
            let first = try endpoint.makeWriter(for: "big.bin", plan: plan)
            // The upload exists once makeWriter returns, so the engine can record it before staging.
            let token = try #require(first.resumeToken)
            #expect(!first.mayHoldEarlierBlocks)  // just created: nothing to ask ListParts about
            #expect(try first.stagedBlocks().isEmpty)

            // Blocks 0 and 2 in parallel, under the one upload.
            let receipts = Mutex<[Int: String]>([:])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { slot in
                let block = blocks[slot == 0 ? 0 : 2]
                do {
                    let receipt = try stage(first, block)
                    receipts.withLock { $0[block.index] = receipt }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            #expect(first.resumeToken == token)

            // A new writer (another run) resumes from the token and sees the staged parts.
            let resumed = try endpoint.makeWriter(for: "big.bin", plan: ObjectWritePlan(
                sizeBytes: plan.sizeBytes, blockSizeBytes: blockSize, resumeToken: token))
            let staged = try resumed.stagedBlocks()
            #expect(staged.map(\.id) == ["1", "3"])
            #expect(staged.map(\.index) == [0, 2])
            #expect(resumed.resumeToken == token)
            #expect(staged.map(\.sizeBytes) == [Int64(blockSize), 123_457])
            #expect(staged.map(\.receipt) == [receipts.withLock { $0[0] }, receipts.withLock { $0[2] }])
            #expect(try endpoint.stat("big.bin") == nil)

            // A writer without a token (a run that lost its manifest) continues the newest
            // unfinished upload of the key; each part's ETag is the MD5 of its bytes.
            let found = try endpoint.makeWriter(for: "big.bin", plan: plan)
            #expect(found.resumeToken == token && found.mayHoldEarlierBlocks)
            let md5s = [blocks[0], blocks[2]].map { Digests.md5(Array(data[Int($0.offset)..<(Int($0.offset) + $0.length)])) }
            #expect(try found.stagedBlocks().map(\.contentMD5) == md5s)
            // A key that merely starts with this one gets an upload of its own.
            let longer = try endpoint.makeWriter(for: "big.bin.2", plan: plan)
            #expect(longer.resumeToken != token && !longer.mayHoldEarlierBlocks)
            try longer.abort()

            let middle = try stage(resumed, blocks[1])
            #expect(resumed.resumeToken == token)
            let crc = data.withUnsafeBytes { CRC64.checksum($0) }
            try resumed.commit(blocks, receipts: [staged[0].receipt, middle, staged[1].receipt],
                               properties: ObjectProperties(crc64: crc, mustNotExist: true))

            let info = try #require(try endpoint.stat("big.bin"))
            #expect(info.sizeBytes == Int64(data.count))
            #expect(info.crc64 == crc)
            #expect(info.etag?.hasSuffix("-3") == true)
            let boundary = Int64(blockSize)
            #expect(try Self.read(endpoint, "big.bin", (boundary - 10)..<(boundary + 10)) == Array(data[(blockSize - 10)..<(blockSize + 10)]))
            #expect(try Self.read(endpoint, "big.bin", 0..<Int64(data.count)) == data)
            // Completing again (a retry whose first answer was lost) succeeds. (SeaweedFS answers
            // 200 again; AWS answers NoSuchUpload, which the writer checks against the object.)
            try resumed.commit(blocks, receipts: [staged[0].receipt, middle, staged[1].receipt],
                               properties: ObjectProperties(crc64: crc))
            #expect(try endpoint.stat("big.bin")?.crc64 == crc)
            // The upload is finished: nothing staged remains under that token.
            #expect(try resumed.stagedBlocks().isEmpty)
        }
    }

    @Test func multipartMetadataAndChecksumChecks() throws {
        try withSeaweed { url, key, secret in
            let endpoint = try Self.endpoint(url, key, secret, root: "meta")
            let part = Self.bytes(5 << 20, seed: 9)
            let tail = Self.bytes(1000, seed: 10)
            let blocks = [BlockRef(index: 0, offset: 0, length: part.count, layout: 0, id: "a"),
                          BlockRef(index: 1, offset: Int64(part.count), length: tail.count, layout: 0, id: "b")]
            let partCRC = part.withUnsafeBytes { CRC64.checksum($0) }
            let tailCRC = tail.withUnsafeBytes { CRC64.checksum($0) }
            let whole = CRC64.combine(partCRC, tailCRC, lengthOfB: Int64(tail.count))

            func upload(_ path: String) throws -> any ObjectWriter {
                let writer = try endpoint.makeWriter(for: path, plan: ObjectWritePlan(sizeBytes: 5_243_880, blockSizeBytes: 5 << 20))
                _ = try part.withUnsafeBytes { try writer.stage(blocks[0], data: $0, checksums: BlockChecksums(crc64: partCRC), meter: UnmeteredTransfer()) }
                _ = try tail.withUnsafeBytes { try writer.stage(blocks[1], data: $0, checksums: BlockChecksums(crc64: tailCRC), meter: UnmeteredTransfer()) }
                return writer
            }

            // Receipts lost: commit finds them with ListParts; metadata given at commit is stored.
            let writer = try upload("with-meta.bin")
            try writer.commit(blocks, receipts: [nil, nil], properties: ObjectProperties(
                contentType: "text/csv", crc64: whole, metadata: ["label": "train"]))
            let info = try #require(try endpoint.stat("with-meta.bin"))
            #expect(info.crc64 == whole)
            #expect(info.contentType == "text/csv")
            #expect(info.metadata["label"] == "train")
            #expect(info.metadata[ObjectProperties.crc64MetadataKey] == CRC64.azureBase64(whole))

            // A wrong whole-object CRC is refused by the service, and nothing becomes visible.
            let wrong = try upload("wrong-crc.bin")
            #expect { try wrong.commit(blocks, receipts: [nil, nil], properties: ObjectProperties(crc64: whole ^ 1)) } throws: {
                ($0 as? FerryError)?.code == .checksumMismatch
            }
            #expect(try endpoint.stat("wrong-crc.bin") == nil)

            // A part whose bytes do not match its CRC is refused.
            let corrupt = try endpoint.makeWriter(for: "corrupt.bin", plan: ObjectWritePlan(sizeBytes: 5_243_880, blockSizeBytes: 5 << 20))
            #expect {
                _ = try part.withUnsafeBytes { try corrupt.stage(blocks[0], data: $0, checksums: BlockChecksums(crc64: tailCRC), meter: UnmeteredTransfer()) }
            } throws: { ($0 as? FerryError)?.code == .checksumMismatch }
            try corrupt.abort()
        }
    }

    @Test func abortDropsTheUpload() throws {
        try withSeaweed { url, key, secret in
            let endpoint = try Self.endpoint(url, key, secret, root: "abort")
            let data = Self.bytes(5 << 20, seed: 5)
            let writer = try endpoint.makeWriter(for: "gone.bin", plan: ObjectWritePlan(sizeBytes: 20 << 20, blockSizeBytes: 5 << 20))
            let eager = try #require(writer.resumeToken)
            try writer.abort()  // drops the upload makeWriter started; a later stage starts another
            #expect(writer.resumeToken == nil)
            _ = try data.withUnsafeBytes {
                try writer.stage(BlockRef(index: 0, offset: 0, length: data.count, layout: 0, id: "x"), data: $0,
                                 checksums: BlockChecksums(crc64: CRC64.checksum($0)), meter: UnmeteredTransfer())
            }
            let token = try #require(writer.resumeToken)
            #expect(token != eager)
            #expect(try writer.stagedBlocks().count == 1)
            try writer.abort()
            try writer.abort()  // already gone: still fine

            let later = try endpoint.makeWriter(for: "gone.bin", plan: ObjectWritePlan(
                sizeBytes: 20 << 20, blockSizeBytes: 5 << 20, resumeToken: token))
            // The recorded upload is gone: the writer starts a new one (the engine then forgets
            // the blocks recorded under the old one).
            #expect(try later.stagedBlocks().isEmpty)
            #expect(later.resumeToken != nil && later.resumeToken != token)
            try later.abort()
            #expect(try endpoint.stat("gone.bin") == nil)
        }
    }

    @Test func wrongSecretIsAnAuthenticationFailureWithoutTheSecret() throws {
        try withSeaweed { url, key, secret in
            let planted = "planted-wrong-secret-\(UUID().uuidString)"
            let endpoint = try Self.endpoint(url, key, planted, root: "auth")
            do {
                _ = try Self.listAll(endpoint)
                Issue.record("listing with a wrong secret succeeded")
            } catch let error as FerryError {
                #expect(error.code == .authenticationFailed)
                #expect(error.disposition == .abortJob)
                for text in [error.message, error.cause ?? "", "\(error)"] {
                    #expect(!text.contains(planted) && !text.contains(secret))
                }
            }
            #expect { try Self.put(endpoint, "x", [1]) } throws: { ($0 as? FerryError)?.code == .authenticationFailed }
            // And the right secret works on the same server.
            #expect(try Self.listAll(try Self.endpoint(url, key, secret, root: "auth")).isEmpty)
        }
    }
}
