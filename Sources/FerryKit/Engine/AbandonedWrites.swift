import Foundation

/// What `ferry jobs clean` must drop at a job's destination before forgetting the job: every
/// unfinished file with a resume handle (an S3 multipart upload) that would otherwise linger
/// (and, on S3, be billed) until a lifecycle rule removes it. Blocking; call from a thread of
/// your own. Value type.
public struct AbandonedWrites: Sendable {
    /// Unfinished files (pending or failed) that hold a resume token: (destination path, token).
    public var writes: [(path: String, resumeToken: String)]

    /// Reads them from the job's manifest, a page at a time.
    public static func find(in store: any ManifestStore) throws -> AbandonedWrites {
        var writes: [(path: String, resumeToken: String)] = []
        var after: Int64 = 0
        while true {
            let page = try store.unfinishedFiles(afterID: after, limit: 1000)
            guard let last = page.last else { break }
            for file in page {
                if let token = file.resumeToken, !token.isEmpty { writes.append((file.plan.destinationPath, token)) }
            }
            after = last.id
        }
        return AbandonedWrites(writes: writes)
    }

    /// Drops each one at `destination`; returns how many were dropped. Stops at the first error
    /// (the store is unreachable or refuses: the caller decides whether to keep the job).
    public func abandon(at destination: any Endpoint) throws -> Int {
        for write in writes {
            try destination.abandonWrite(for: write.path, resumeToken: write.resumeToken)
        }
        return writes.count
    }
}
