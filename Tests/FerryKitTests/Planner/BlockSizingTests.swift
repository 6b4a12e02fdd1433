import Testing
@testable import FerryKit

@Suite struct BlockSizingTests {
    static let azure = EndpointCapabilities(storesContentMD5: true, listsStagedBlocks: true, minimumBlockSizeBytes: 0,
                                            maximumBlockCount: 50_000, maximumBlockSizeBytes: 4000 << 20, isRemote: true)
    static let s3Like = EndpointCapabilities(storesContentMD5: false, listsStagedBlocks: true, minimumBlockSizeBytes: 5 << 20,
                                             maximumBlockCount: 10_000, maximumBlockSizeBytes: 5 << 30, isRemote: true)
    static let mib = Int64(1 << 20)

    func size(_ bytes: Int64, _ destination: EndpointCapabilities = azure, requested: Int? = nil) throws -> Int {
        try BlockSizing.blockSizeBytes(fileSizeBytes: bytes, destination: destination, requestedBlockSizeBytes: requested)
    }

    @Test func startsAtEightMebibytes() throws {
        #expect(try size(0) == 8 << 20)
        #expect(try size(1) == 8 << 20)
        #expect(try size(50_000 * 8 * Self.mib) == 8 << 20)  // exactly 50,000 blocks
    }

    @Test func streamedDownloadsStartAtThirtyTwoMebibytesUnlessTheUserChose() throws {
        let local = EndpointCapabilities(storesContentMD5: false, listsStagedBlocks: false, minimumBlockSizeBytes: 0,
                                         maximumBlockCount: 50_000, maximumBlockSizeBytes: 4000 << 20, isRemote: false)
        let start = BlockSizing.streamedDownloadBlockSizeBytes
        #expect(try BlockSizing.blockSizeBytes(fileSizeBytes: 2 << 30, destination: local, requestedBlockSizeBytes: nil,
                                               startBytes: start) == 32 << 20)
        #expect(try BlockSizing.blockSizeBytes(fileSizeBytes: 2 << 30, destination: local, requestedBlockSizeBytes: 4 << 20,
                                               startBytes: start) == 4 << 20)
        // Still doubled to fit the block limit.
        #expect(try BlockSizing.blockSizeBytes(fileSizeBytes: 50_000 * 32 * Self.mib + 1, destination: local,
                                               requestedBlockSizeBytes: nil, startBytes: start) == 64 << 20)
    }

    @Test func doublesWhenTheFileNeedsMoreThanTheBlockLimit() throws {
        #expect(try size(50_000 * 8 * Self.mib + 1) == 16 << 20)
        #expect(try size(50_000 * 256 * Self.mib) == 256 << 20)
    }

    @Test func pastTheDoublingCeilingUsesWholeMebibytesThatFit() throws {
        let bytes = 50_000 * 256 * Self.mib + 1
        let chosen = try size(bytes)
        #expect(chosen == 257 << 20)
        #expect(BlockSizing.blockCount(fileSizeBytes: bytes, blockSizeBytes: chosen) <= 50_000)
    }

    @Test func respectsMinimumAndCountOfAnS3LikeDestination() throws {
        #expect(try size(1, Self.s3Like) == 8 << 20)
        let bytes = 10_000 * 8 * Self.mib + 1
        #expect(try size(bytes, Self.s3Like) == 16 << 20)
        #expect(throws: FerryError.self) { try size(100, Self.s3Like, requested: 1 << 20) }  // under the 5 MiB minimum
    }

    @Test func tooLargeForTheDestinationFailsTheFile() {
        let bytes = 50_001 * 4000 * Self.mib
        #expect(throws: FerryError.self) { try size(bytes) }
    }

    @Test func explicitSizeIsUsedOrRefused() throws {
        #expect(try size(10 * Self.mib, requested: 1 << 20) == 1 << 20)
        #expect(throws: FerryError.self) { try size(50_001 * Self.mib, requested: 1 << 20) }
    }
}
