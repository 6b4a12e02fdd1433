#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFerryFileIO
import Foundation

/// Writes one local file without ever leaving a partial file in place of a good one.
///
/// Whole files go to a hidden temporary file next to the target and are renamed into place.
/// Blocks are `pwrite`n into a pre-sized `.<name>.ferry-partial` next to the target; `commit`
/// renames it into place, `abort` deletes it. A file of one block streamed piece by piece (a
/// download that fits one request) goes into an unnamed file that `commit` names (or, where
/// there are none, into the partial file), so it needs no buffer of its size.
///
/// Durability: a killed Ferry never leaves a partial file under the target's name (the page cache
/// survives the process). Surviving a power cut needs the bytes on disk before the name moves:
/// that `fsync` is done when the file replaces an existing one (a good file is never swapped for
/// one still in memory), and for every file with `flushesToDisk` (`--fsync`). New files otherwise
/// reach the disk at the kernel's pace, as with every peer tool: on a disk slower than the network
/// waiting for it would halve download speed. The partial file's identity
/// (device and inode) is the `resumeToken`: a resumed job that finds the same partial file keeps
/// the blocks the manifest says are written; a different or missing one yields a new token, which
/// tells the engine to send every block again.
///
/// Thread-safe: `stage` and `write` calls come from many workers (`pwrite` at distinct offsets of one descriptor);
/// the descriptor's lifetime is guarded by `lock`, which is why `@unchecked Sendable` is sound.
final class LocalObjectWriter: PositionalObjectWriter, @unchecked Sendable {
    private let targetPath: String
    private let partialPath: String
    private let plan: ObjectWritePlan
    private let flushesToDisk: Bool
    private let lock = NSLock()
    private let writeLock = NSLock()
    private var descriptor: Int32 = -1
    /// A one-block file's pieces, until `commit` names it; nil before the first piece.
    private var unnamedFile: UnnamedFile?
    private var closed = false
    let resumeToken: String?

    init(targetPath: String, plan: ObjectWritePlan, flushesToDisk: Bool) throws {
        self.targetPath = targetPath
        self.plan = plan
        self.flushesToDisk = flushesToDisk
        let (directory, name) = LocalPath.split(targetPath)
        partialPath = directory + "/." + name + ".ferry-partial"
        guard plan.isMultiBlock else {
            resumeToken = nil
            return
        }
        var descriptor: Int32 = -1
        if let token = plan.resumeToken, Self.identity(of: partialPath, sizeBytes: plan.sizeBytes) == token {
            descriptor = open(partialPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        }
        if descriptor < 0 {
            unlink(partialPath)
            descriptor = open(partialPath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw LocalPath.posixError("create", targetPath, errno) }
            // The whole file's blocks up front: a download that cannot fit fails now rather than
            // after most of its bytes arrived, and writes into allocated blocks skip the file
            // system's per-page delayed-allocation work (a tenth of a large download's CPU).
            if ferry_preallocate(descriptor, plan.sizeBytes) != 0 {
                let code = errno
                let unsupported = code == EOPNOTSUPP || code == ENOSYS || code == EINVAL
                if !unsupported || ftruncate(descriptor, off_t(plan.sizeBytes)) != 0 {
                    let failure = unsupported ? errno : code
                    close(descriptor)
                    unlink(partialPath)
                    throw LocalPath.posixError("reserve \(ByteCount.format(plan.sizeBytes)) for", targetPath, failure)
                }
            }
        }
        self.descriptor = descriptor
        resumeToken = Self.identity(of: partialPath, sizeBytes: plan.sizeBytes)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums,
                    properties: ObjectProperties, meter: any TransferMeter) throws {
        let (directory, name) = LocalPath.split(targetPath)
        if let unnamed = UnnamedFile(directory: directory, targetPath: targetPath) {
            try unnamed.write(data, meter: meter)
            try unnamed.link(to: targetPath, mustNotExist: properties.mustNotExist, flushesToDisk: flushesToDisk,
                             modified: properties.sourceLastModified)
            return
        }
        let temporaryPath = directory + "/." + name + ".ferry-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let output = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw LocalPath.posixError("create", targetPath, errno) }
        do {
            try Self.writeAll(output, data, at: 0, path: targetPath, meter: meter)
            try FileTimes.setModified(properties.sourceLastModified, descriptor: output, path: temporaryPath)
            if flushesToDisk || LocalPath.exists(targetPath) {
                guard fsync(output) == 0 else { throw LocalPath.posixError("flush", targetPath, errno) }
            }
            close(output)
            try moveIntoPlace(temporaryPath, mustNotExist: properties.mustNotExist)
        } catch {
            close(output)
            unlink(temporaryPath)
            throw error
        }
    }

    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums,
               meter: any TransferMeter) throws -> String? {
        try write(data, at: block.offset, meter: meter)
        return nil
    }

    /// A piece of a block (a streamed download) or a whole block (`stage`) at its offset.
    func write(_ piece: UnsafeRawBufferPointer, at offset: Int64, meter: any TransferMeter) throws {
        guard plan.isMultiBlock else {
            try writeWholeFilePiece(piece, at: offset, meter: meter)
            return
        }
        let output = try openDescriptor()
        guard offset >= 0, offset + Int64(piece.count) <= plan.sizeBytes else {
            throw FerryError(.internal, "a write at \(offset) of '\(targetPath)' lies outside the planned size",
                             disposition: .skipItem)
        }
        // One write at a time: the kernel serialises writes to a file anyway, and threads queued
        // on this lock sleep where threads queued on the inode's lock spin.
        writeLock.lock()
        defer { writeLock.unlock() }
        try Self.writeAll(output, piece, at: offset, path: targetPath, meter: meter)
        if flushesToDisk {
            // Start these bytes' way to disk now, so `commit`'s fsync has little left to wait for.
            // Only a hint: a failure here changes nothing that fsync will not catch.
            _ = ferry_start_writeback(output, offset, Int64(piece.count))
        }
    }

    private func writeWholeFilePiece(_ piece: UnsafeRawBufferPointer, at offset: Int64, meter: any TransferMeter) throws {
        guard offset >= 0, offset + Int64(piece.count) <= plan.sizeBytes else {
            throw FerryError(.internal, "a write at \(offset) of '\(targetPath)' lies outside the planned size",
                             disposition: .skipItem)
        }
        switch try wholeFileOutput() {
        case .unnamed(let file): try file.write(piece, at: offset, meter: meter)
        case .partial(let output): try Self.writeAll(output, piece, at: offset, path: targetPath, meter: meter)
        }
    }

    private enum WholeFileOutput {
        case unnamed(UnnamedFile)
        case partial(Int32)
    }

    /// Where a one-block file's pieces go, opened at the first one: an unnamed file where the
    /// system has them, else the partial file (no resume token: a new run starts it again).
    private func wholeFileOutput() throws -> WholeFileOutput {
        lock.lock()
        defer { lock.unlock() }
        if let unnamedFile { return .unnamed(unnamedFile) }
        if descriptor >= 0 { return .partial(descriptor) }
        guard !closed else {
            throw FerryError(.internal, "the writer for '\(targetPath)' is closed", disposition: .skipItem)
        }
        if let file = UnnamedFile(directory: LocalPath.split(targetPath).directory, targetPath: targetPath) {
            unnamedFile = file
            return .unnamed(file)
        }
        unlink(partialPath)
        descriptor = open(partialPath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LocalPath.posixError("create", targetPath, errno) }
        return .partial(descriptor)
    }

    func stagedBlocks() throws -> [StagedBlock] { [] }

    /// The partial file holds every block written so far at its offset: `pread` it back.
    func readBackStaged(_ block: BlockRef, into buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        let input = try openDescriptor()
        guard block.offset >= 0, block.offset + Int64(block.length) <= plan.sizeBytes, buffer.count >= block.length else {
            return false
        }
        var done = 0
        while done < block.length {
            let got = pread(input, buffer.baseAddress! + done, block.length - done, off_t(block.offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw LocalPath.posixError("read", partialPath, errno)
            }
            if got == 0 { return false }
            done += got
        }
        return true
    }

    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws {
        var expectedOffset: Int64 = 0
        for block in blocks {
            guard block.offset == expectedOffset else {
                throw FerryError(.internal, "blocks of '\(targetPath)' are not contiguous at \(expectedOffset)",
                                 disposition: .skipItem)
            }
            expectedOffset += Int64(block.length)
        }
        guard expectedOffset == plan.sizeBytes else {
            throw FerryError(.internal, "blocks of '\(targetPath)' cover \(expectedOffset) of \(plan.sizeBytes) bytes",
                             disposition: .skipItem)
        }
        if !plan.isMultiBlock, case .unnamed(let file) = try wholeFileOutput() {
            try file.link(to: targetPath, mustNotExist: properties.mustNotExist, flushesToDisk: flushesToDisk,
                          modified: properties.sourceLastModified)
            closeDescriptor()
            return
        }
        let output = try openDescriptor()
        try FileTimes.setModified(properties.sourceLastModified, descriptor: output, path: partialPath)
        if flushesToDisk || LocalPath.exists(targetPath) {
            guard fsync(output) == 0 else { throw LocalPath.posixError("flush", targetPath, errno) }
        }
        try moveIntoPlace(partialPath, mustNotExist: properties.mustNotExist)
        closeDescriptor()
    }

    func abort() throws {
        let hadDescriptor = closeDescriptor()
        if plan.isMultiBlock || hadDescriptor, unlink(partialPath) != 0, errno != ENOENT {
            throw LocalPath.posixError("delete", partialPath, errno)
        }
    }

    private func openDescriptor() throws -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else {
            throw FerryError(.internal, "the writer for '\(targetPath)' is closed", disposition: .skipItem)
        }
        return descriptor
    }

    /// Closes the partial file, or drops the unnamed file (which then vanishes, unless named).
    /// True if a partial file was open.
    @discardableResult
    private func closeDescriptor() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let hadDescriptor = descriptor >= 0
        if hadDescriptor { close(descriptor) }
        descriptor = -1
        unnamedFile = nil
        closed = true
        return hadDescriptor
    }

    /// Renames `from` onto the target; with `mustNotExist`, links instead so an existing file wins.
    private func moveIntoPlace(_ from: String, mustNotExist: Bool) throws {
        if mustNotExist {
            if link(from, targetPath) != 0 {
                let code = errno
                if code == EEXIST {
                    throw FerryError(.destinationExists, "'\(targetPath)' already exists (--overwrite false)",
                                     disposition: .skipItem)
                }
                throw LocalPath.posixError("create", targetPath, code)
            }
            unlink(from)
        } else if rename(from, targetPath) != 0 {
            throw LocalPath.posixError("replace", targetPath, errno)
        }
    }

    static func writeAll(_ output: Int32, _ data: UnsafeRawBufferPointer, at offset: Int64,
                                 path: String, meter: any TransferMeter) throws {
        var done = 0
        while done < data.count {
            let want = min(LocalEndpoint.chunkBytes, data.count - done)
            meter.account(want)
            let wrote = pwrite(output, data.baseAddress! + done, want, off_t(offset) + off_t(done))
            if wrote < 0 {
                if errno == EINTR { continue }
                throw LocalPath.posixError("write", path, errno)
            }
            done += wrote
        }
    }

    /// `local:<device>:<inode>` of the partial file if it exists with the planned size, else nil.
    private static func identity(of path: String, sizeBytes: Int64) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) == sizeBytes else { return nil }
        return "local:\(info.st_dev):\(info.st_ino)"
    }

    /// Is `name` one of the hidden files a writer works in (`.<name>.ferry-partial`,
    /// `.<name>.ferry-<hex>`)? Listings skip them.
    static func isWorkFile(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".ferry-", options: .backwards) else { return false }
        let suffix = name[marker.upperBound...]
        return suffix == "partial" || (!suffix.isEmpty && suffix.allSatisfy(\.isHexDigit))
    }
}
