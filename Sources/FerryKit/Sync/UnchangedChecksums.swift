import Foundation

/// Before a sync's receipt is written: the CRC-64 of every file the sync found unchanged where
/// neither listing said it (S3 listings and local directories carry none). The destination is
/// asked first (a `stat` of a store, which returns Ferry's stored CRC-64), else the local side is
/// read. Only for `--receipt FILE`: the job-folder receipt is skipped rather than reading a whole
/// dataset on a no-op sync. Blocking; runs on threads of its own.
public enum UnchangedChecksums {
    /// Fills the missing CRC-64s into the manifest; returns how many could not be had.
    public static func fill(store: any ManifestStore, source: any Endpoint, destination: any Endpoint,
                            concurrency: Int) throws -> Int {
        var found: [FileRecord] = []
        var after: Int64 = 0
        while true {
            let page = try store.files(state: .skipped, afterID: after, limit: 1000)
            guard let last = page.last else { break }
            found += page.filter { $0.crc64 == nil }
            after = last.id
        }
        let missing = found
        guard !missing.isEmpty else { return 0 }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var unknown = 0
        let group = DispatchGroup()
        for _ in 0..<max(1, min(concurrency, missing.count)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while true {
                    lock.lock()
                    guard next < missing.count else { lock.unlock(); return }
                    let file = missing[next]
                    next += 1
                    lock.unlock()
                    if let crc = try? crc64(of: file.plan, source: source, destination: destination) {
                        store.finishFile(fileID: file.id, state: .skipped, crc64: crc, md5: nil, error: nil)
                    } else {
                        lock.lock()
                        unknown += 1
                        lock.unlock()
                    }
                }
            }
            thread.name = "ferry-receipt-crc"
            thread.start()
        }
        group.wait()
        try store.flush()
        return unknown
    }

    /// How many unchanged files have no CRC-64 in the manifest (one count, not a read of every row).
    public static func countMissing(store: any ManifestStore) throws -> Int {
        try store.skippedFilesWithoutCRC64()
    }

    private static func crc64(of plan: FilePlan, source: any Endpoint, destination: any Endpoint) throws -> UInt64? {
        if destination.capabilities.isRemote, let info = try destination.stat(plan.destinationPath),
           info.sizeBytes == plan.sizeBytes, let crc = info.crc64 {
            return crc
        }
        for side in [(destination, plan.destinationPath), (source, plan.sourcePath)] where !side.0.capabilities.isRemote {
            return try ContentComparison.localDigest(side.0, side.1, sizeBytes: plan.sizeBytes, md5: false)?.crc64
        }
        if source.capabilities.isRemote, let info = try source.stat(plan.sourcePath), info.sizeBytes == plan.sizeBytes {
            return info.crc64
        }
        return nil
    }
}
