import ArgumentParser
import FerryKit

extension FerryKit.TransferOptions.MD5Check: ExpressibleByArgument {}
extension BlockBlobTier: ExpressibleByArgument {}

/// Flags that shape how bytes move (`ferry copy`, `ferry sync`).
struct TransferOptions: ParsableArguments {
    @Option(name: .customLong("block-size-mb"),
            help: "Block size in MiB for files larger than one block (default: automatic, 8 MiB and up).")
    var blockSizeMB: Double?

    @Option(help: "Parallel requests (default: 32 on up to 4 cores for network transfers, else 4 per core).")
    var concurrency: Int?

    @Flag(name: .customLong("fixed-concurrency"),
          help: "Keep --concurrency requests in flight even when the service refuses for load (503 ServerBusy, SlowDown, 429, timeouts). By default Ferry sends less when refused and more again when the refusals stop.")
    var fixedConcurrency = false

    @Option(name: .customLong("cap-mbps"), help: "Limit throughput to this many megabits per second (default: no limit).")
    var capMbps: Double?

    @Flag(name: .customLong("put-md5"), help: "Compute each file's MD5 and store it as Content-MD5 when uploading (default: off).")
    var putMD5 = false

    @Option(name: .customLong("check-md5"),
            help: "How a download checks the stored Content-MD5 of what it received.")
    var checkMD5: FerryKit.TransferOptions.MD5Check = .failIfDifferent

    @Flag(help: "Flush each downloaded file to disk before it takes its name, so it survives a power cut, not just a killed Ferry (slower on slow disks; files that replace existing ones are always flushed; default: off).")
    var fsync = false

    @Option(name: .customLong("block-blob-tier"),
            help: "Access tier of every blob written to an Azure destination (default: the account's default tier; archive blobs cannot be read until rehydrated).")
    var blockBlobTier: BlockBlobTier?

    @Flag(name: .customLong("dry-run"), help: "Print what would be copied (and deleted) and touch nothing (default: off).")
    var dryRun = false

    func validate() throws {
        if let blockSizeMB, !(blockSizeMB > 0 && blockSizeMB <= 4000) {
            throw ValidationError("--block-size-mb must be more than 0 and at most 4000")
        }
        if let concurrency, !(1...3000).contains(concurrency) {
            throw ValidationError("--concurrency must be between 1 and 3000")
        }
        if let capMbps, capMbps < 0 { throw ValidationError("--cap-mbps cannot be negative") }
    }

    func libraryOptions(filters: FilterOptions) throws -> FerryKit.TransferOptions {
        var options = FerryKit.TransferOptions()
        options.blockSizeBytes = blockSizeMB.map { Int(($0 * 1_048_576).rounded()) }
        options.concurrency = concurrency
        options.fixedConcurrency = fixedConcurrency ? true : nil
        options.capMbps = capMbps
        options.putMD5 = putMD5
        options.checkMD5 = checkMD5
        options.flushesToDisk = fsync ? true : nil
        options.blockBlobTier = blockBlobTier
        try filters.apply(to: &options)
        return options
    }
}
