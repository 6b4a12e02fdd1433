import Foundation

/// A job's lifecycle state as the manifest records it.
public enum JobState: String, Sendable, Hashable, Codable {
    case running
    case completed
    case completedWithFailures = "completed-with-failures"
    /// Stopped by the user or a signal; `ferry jobs resume` picks it up.
    case cancelled
    /// Stopped by an error that stops everything (authentication, disk full, bad manifest).
    case failed

    public var isResumable: Bool { self != .completed }
}

/// What a job is: everything needed to run it again, and nothing secret. Value type.
public struct JobSpec: Sendable, Hashable, Codable {
    /// Source and destination as the user gave them, redacted (`Redaction.url`).
    public var source: String
    public var destination: String
    /// Source without a trailing `/*`, redacted: what resume reopens if no fresh URL is given.
    public var sourceRoot: String
    public var destinationRoot: String
    public var shape: SourceShape
    public var mapping: PathMapping
    public var options: TransferOptions
    /// The S3 service settings the job was started with (`--s3-endpoint`, …), so a resume reopens
    /// `s3://` sides against the same service; nil when neither side is S3 (or an older job).
    public var s3Options: S3EndpointOptions?
    /// How Azure sides sign in (`--auth`, `--ca-file`), so a resume signs in the same way; never a
    /// secret. Nil when neither was given (or an older job).
    public var azureSignIn: AzureSignInSettings?

    public init(source: String, destination: String, sourceRoot: String, destinationRoot: String,
                shape: SourceShape, mapping: PathMapping, options: TransferOptions, s3Options: S3EndpointOptions? = nil) {
        self.source = source
        self.destination = destination
        self.sourceRoot = sourceRoot
        self.destinationRoot = destinationRoot
        self.shape = shape
        self.mapping = mapping
        self.options = options
        self.s3Options = s3Options
    }
}

/// The job row. Value type.
public struct JobRecord: Sendable, Hashable {
    public var id: String
    public var created: Date
    /// Redacted command line, for `ferry jobs show`.
    public var commandLine: String
    public var spec: JobSpec
    public var state: JobState
    public var scanComplete: Bool

    public init(id: String, created: Date, commandLine: String, spec: JobSpec, state: JobState = .running,
                scanComplete: Bool = false) {
        self.id = id
        self.created = created
        self.commandLine = commandLine
        self.spec = spec
        self.state = state
        self.scanComplete = scanComplete
    }

    /// A new job ID: UTC time (sortable, readable) plus random hex.
    public static func newID(now: Date = Date()) -> String {
        let seconds = Int64(now.timeIntervalSince1970)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: Double(seconds)))
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let stamp = "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))-\(two(parts.hour))\(two(parts.minute))\(two(parts.second))"
        return stamp + "-" + String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
    }
}

/// A file's state in the manifest.
public enum FileState: String, Sendable, Hashable, Codable {
    case pending
    case done
    case skipped
    case failed
}

/// One file row. Value type.
public struct FileRecord: Sendable, Hashable {
    public var id: Int64
    public var plan: FilePlan
    public var state: FileState
    public var resumeToken: String?
    public var errorCode: String?
    public var errorMessage: String?
    /// The file's CRC-64 once known (sent, or found unchanged at the destination by a sync).
    public var crc64: UInt64?
    /// The destination object's ETag, when a listing said it (a sync's unchanged files).
    public var etag: String?

    public init(id: Int64, plan: FilePlan, state: FileState = .pending, resumeToken: String? = nil,
                errorCode: String? = nil, errorMessage: String? = nil) {
        self.id = id
        self.plan = plan
        self.state = state
        self.resumeToken = resumeToken
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

/// Counts by file state, for summaries and `ferry jobs show`.
public struct JobTotals: Sendable, Hashable, Codable {
    public var files = 0, doneFiles = 0, failedFiles = 0, skippedFiles = 0, pendingFiles = 0
    public var bytes: Int64 = 0, doneBytes: Int64 = 0
    public init() {}
}
