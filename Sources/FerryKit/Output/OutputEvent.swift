import Foundation

/// One NDJSON line of `--output-type json`. Numbers are numbers; paths and endpoints are
/// redacted before they get here; nothing secret is ever a field. Value type.
public struct OutputEvent: Encodable, Sendable {
    public var type: String
    public var time: String
    public var jobId: String
    public var source: String?
    public var destination: String?
    public var state: String?
    public var percent: Double?
    public var bytesDone: Int64?
    public var bytesTotal: Int64?
    /// Of `bytesDone`, what earlier runs had sent (not sent again by this one): blocks a resumed
    /// job's manifest records, or blocks found staged at the destination.
    public var bytesResumed: Int64?
    public var filesDone: Int?
    public var filesFailed: Int?
    public var filesSkipped: Int?
    /// A sync's deletions at the destination (absent for copies).
    public var filesDeleted: Int?
    public var filesTotal: Int?
    public var scanComplete: Bool?
    public var elapsedSeconds: Double?
    public var bytesPerSecond: Double?
    /// Requests the services refused for load so far, and the requests in flight Ferry allows now
    /// (absent when no remote service is governed).
    public var requestsRefused: Int?
    public var slowdowns: Int?
    public var concurrency: Int?
    public var path: String?
    public var code: String?
    public var message: String?
    /// A receipt's root hash (`receipt` event).
    public var rootHash: String?
    /// `--shard`: this worker's part of the split (`shard` event).
    public var shard: ShardShare?

    /// `{"index","count","files","bytes","totalFiles","totalBytes","largestShardBytes","smallestShardBytes"}`.
    public struct ShardShare: Encodable, Sendable {
        public var index: Int
        public var count: Int
        public var files: Int
        public var bytes: Int64
        public var totalFiles: Int
        public var totalBytes: Int64
        public var largestShardBytes: Int64
        public var smallestShardBytes: Int64

        public init(spec: ShardSpec, shares: ShardSelection.Shares) {
            (index, count) = (spec.index, spec.count)
            (files, bytes, totalFiles, totalBytes) = (shares.files, shares.bytes, shares.totalFiles, shares.totalBytes)
            (largestShardBytes, smallestShardBytes) = (shares.largestShardBytes, shares.smallestShardBytes)
        }
    }

    public init(type: String, jobID: String) {
        self.type = type
        self.jobId = jobID
        time = Self.timestamp()
    }

    public mutating func include(_ progress: ProgressSnapshot) {
        percent = (progress.percent * 10).rounded() / 10
        bytesDone = progress.bytesDone
        bytesTotal = progress.bytesTotal
        bytesResumed = progress.bytesResumed
        filesDone = progress.filesDone
        filesFailed = progress.filesFailed
        filesSkipped = progress.filesSkipped
        filesDeleted = progress.isSync ? progress.filesDeleted : nil
        filesTotal = progress.filesTotal
        scanComplete = progress.scanComplete
        elapsedSeconds = (progress.elapsedSeconds * 1000).rounded() / 1000
        bytesPerSecond = progress.bytesPerSecond.rounded()
        concurrency = progress.concurrency
        requestsRefused = progress.concurrency == nil ? nil : progress.requestsRefused
        slowdowns = progress.concurrency == nil ? nil : progress.slowdowns
    }

    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
