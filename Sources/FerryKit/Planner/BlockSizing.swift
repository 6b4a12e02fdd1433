/// Chooses the block size of one file. Pure; safe from any thread.
///
/// Auto: start at 8 MiB (32 MiB for streamed downloads) and double (up to 256 MiB) until the file needs at most the destination's
/// `maximumBlockCount` blocks; past that, the smallest whole number of MiB that fits the count.
/// Never below the destination's `minimumBlockSizeBytes`, never above `maximumBlockSizeBytes`.
/// An explicit `--block-size-mb` is used as given, and a file it would split into too many
/// blocks fails (the user asked for that size; silently changing it would surprise them).
public enum BlockSizing {
    public static let defaultBlockSizeBytes = 8 << 20
    /// Where a download streams its blocks into a local file (`StreamedReads.swift`), a block
    /// costs no memory, only a request: 32 MiB ranges cost object stores (SeaweedFS measured) far
    /// less CPU per byte than 8 MiB ones, and leave a 2 GiB file 64 blocks to spread over workers.
    public static let streamedDownloadBlockSizeBytes = 32 << 20
    static let doublingCeilingBytes = 256 << 20
    static let mebibyte = 1 << 20

    /// `startBytes` is where the automatic size starts (`defaultBlockSizeBytes`, or
    /// `streamedDownloadBlockSizeBytes` for streamed downloads).
    public static func blockSizeBytes(fileSizeBytes: Int64, destination: EndpointCapabilities,
                                      requestedBlockSizeBytes: Int?, startBytes: Int = defaultBlockSizeBytes) throws -> Int {
        let maximumCount = Int64(max(1, destination.maximumBlockCount))
        if let requested = requestedBlockSizeBytes {
            guard requested > 0, requested <= destination.maximumBlockSizeBytes,
                  requested >= destination.minimumBlockSizeBytes else {
                throw FerryError(.usage, "block size \(requested) bytes is outside the destination's limits "
                                 + "(\(destination.minimumBlockSizeBytes)…\(destination.maximumBlockSizeBytes) bytes)",
                                 disposition: .abortJob)
            }
            if blockCount(fileSizeBytes: fileSizeBytes, blockSizeBytes: requested) > maximumCount {
                throw FerryError(.usage, "a \(fileSizeBytes)-byte file needs more than \(maximumCount) blocks of "
                                 + "\(requested) bytes; raise --block-size-mb or leave it out", disposition: .skipItem)
            }
            return requested
        }
        var size = max(startBytes, destination.minimumBlockSizeBytes)
        while blockCount(fileSizeBytes: fileSizeBytes, blockSizeBytes: size) > maximumCount && size < doublingCeilingBytes {
            size *= 2
        }
        if blockCount(fileSizeBytes: fileSizeBytes, blockSizeBytes: size) > maximumCount {
            let perBlock = (fileSizeBytes + maximumCount - 1) / maximumCount
            let wholeMebibytes = (perBlock + Int64(mebibyte) - 1) / Int64(mebibyte) * Int64(mebibyte)
            size = Int(min(wholeMebibytes, Int64(Int.max)))
        }
        if size > destination.maximumBlockSizeBytes {
            guard blockCount(fileSizeBytes: fileSizeBytes, blockSizeBytes: destination.maximumBlockSizeBytes) <= maximumCount else {
                throw FerryError(.usage, "a \(fileSizeBytes)-byte file is larger than the destination can store "
                                 + "(\(maximumCount) blocks of \(destination.maximumBlockSizeBytes) bytes)",
                                 disposition: .skipItem)
            }
            size = destination.maximumBlockSizeBytes
        }
        return size
    }

    /// Number of blocks of a multi-block file (at least 1).
    public static func blockCount(fileSizeBytes: Int64, blockSizeBytes: Int) -> Int64 {
        max(1, (fileSizeBytes + Int64(blockSizeBytes) - 1) / Int64(blockSizeBytes))
    }
}
