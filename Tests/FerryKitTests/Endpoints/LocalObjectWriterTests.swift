#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import FerryKit

/// The local partial file of a multi-block download: its disk blocks are reserved before the
/// first byte arrives, so a download that cannot fit fails at once and leaves nothing behind.
@Suite struct LocalObjectWriterTests {
    @Test func aPartialFileHasItsBlocksBeforeTheFirstByte() throws {
        try withTemporaryDirectory { base in
            let size: Int64 = 8 << 20
            let writer = try LocalObjectWriter(targetPath: base + "/big.bin", plan: ObjectWritePlan(sizeBytes: size, blockSizeBytes: 1 << 20),
                                               flushesToDisk: false)
            var info = stat()
            #expect(lstat(base + "/.big.bin.ferry-partial", &info) == 0)
            #expect(Int64(info.st_size) == size)
            #expect(Int64(info.st_blocks) * 512 >= size)
            #expect(writer.resumeToken != nil)
            try writer.abort()
            #expect(treeContents(base).isEmpty)
        }
    }

    /// Larger than any file system takes (EFBIG): the same path as a disk without room (ENOSPC,
    /// which a test cannot cause without filling the disk other tests write to).
    @Test func aDownloadThatCannotFitFailsBeforeAnyByteAndLeavesNothing() throws {
        try withTemporaryDirectory { base in
            let size: Int64 = 1 << 62
            do {
                _ = try LocalObjectWriter(targetPath: base + "/huge.bin", plan: ObjectWritePlan(sizeBytes: size, blockSizeBytes: 1 << 30),
                                          flushesToDisk: false)
                Issue.record("a \(size)-byte partial file was created")
            } catch let error as FerryError {
                #expect(error.code == .io)
                #expect(error.message.hasPrefix("cannot reserve 4096.0 PiB for"))
            }
            #expect(treeContents(base).isEmpty)
        }
    }
}
