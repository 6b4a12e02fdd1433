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
                #expect(error.message == "cannot reserve 4096.0 PiB for '\(base)/huge.bin': File too large")
            }
            #expect(treeContents(base).isEmpty)
        }
    }

    /// A full disk fails only the file that did not fit (smaller ones may still fit; a resume
    /// retries it); a read-only file system stops the job. Both name the destination file.
    @Test func diskFullFailsOneFileAndReadOnlyStopsTheJobBothNamingTheFile() {
        let full = LocalPath.posixError("write", "/data/set/big.bin", ENOSPC)
        #expect(full.disposition == .skipItem)
        #expect(full.code == .io)
        #expect(full.message == "cannot write '/data/set/big.bin': No space left on device")
        #expect(LocalPath.posixError("write", "/data/set/big.bin", EDQUOT).disposition == .skipItem)
        let readOnly = LocalPath.posixError("create", "/data/set/a.txt", EROFS)
        #expect(readOnly.disposition == .abortJob)
        #expect(readOnly.message == "cannot create '/data/set/a.txt': Read-only file system")
        #expect(LocalPath.posixError("create", "/data/set/a.txt", EACCES).disposition == .skipItem)
    }

    /// A small file written through an unnamed file names its destination when a write fails
    /// (it used to say `'DIR/(new file)'`): here the write fails because the buffer is larger
    /// than the file system allows at that offset (EFBIG, the same path as ENOSPC). A one-block
    /// plan of the largest size: no space is reserved, the write goes to the unnamed file.
    @Test func aFailedSmallFileWriteNamesTheDestination() throws {
        try withTemporaryDirectory { base in
            let writer = try LocalObjectWriter(targetPath: base + "/small.txt",
                                               plan: ObjectWritePlan(sizeBytes: Int64.max, blockSizeBytes: Int.max),
                                               flushesToDisk: false)
            let bytes: [UInt8] = [1, 2, 3, 4]
            do {
                try bytes.withUnsafeBytes { buffer in
                    try writer.write(buffer, at: Int64.max - 8, meter: UnmeteredTransfer())
                }
                Issue.record("a write past the largest offset succeeded")
            } catch let error as FerryError {
                #expect(error.message.hasPrefix("cannot write '\(base)/small.txt': "))
            }
            try writer.abort()
            #expect(treeContents(base).isEmpty)
        }
    }
}
