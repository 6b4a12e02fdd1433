/// How an `HTTPClient` connects. Value type; safe to share between threads.
///
/// There is deliberately no total timeout: a multi-GiB body may take hours on a slow link. A
/// transfer fails instead when it stalls, moving fewer than `stallLimitBytesPerSecond` for
/// `stallTimeSeconds` in a row. Proxies come from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `NO_PROXY`), which libcurl reads itself because the client never sets a proxy option.
public struct HTTPClientConfiguration: Sendable, Hashable {
    /// Most transfers (and so keep-alive connections) at once; more callers wait for a free one.
    public var connectionCount: Int
    public var connectTimeoutSeconds: Int
    public var stallLimitBytesPerSecond: Int
    public var stallTimeSeconds: Int
    /// How much libcurl reads from the request body per callback (and so the meter's chunk size).
    public var uploadChunkBytes: Int
    /// libcurl's receive buffer (how much one `recv` can carry), and how much of a streamed body
    /// is gathered before it goes to the sink. Larger than libcurl's 16 KiB default so a
    /// multi-GiB download costs fewer system calls.
    public var downloadChunkBytes: Int
    public var userAgent: String
    /// A PEM file of CA certificates to trust instead of the system's (a private CA, a test
    /// server); nil = the system store. Verification itself is never switched off.
    public var caBundlePath: String?

    public init(connectionCount: Int, connectTimeoutSeconds: Int = 30, stallLimitBytesPerSecond: Int = 1,
                stallTimeSeconds: Int = 120, uploadChunkBytes: Int = 256 << 10,
                downloadChunkBytes: Int = 256 << 10, userAgent: String = "ferry/0.1",
                caBundlePath: String? = nil) {
        self.connectionCount = max(1, connectionCount)
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.stallLimitBytesPerSecond = stallLimitBytesPerSecond
        self.stallTimeSeconds = stallTimeSeconds
        self.uploadChunkBytes = uploadChunkBytes
        self.downloadChunkBytes = downloadChunkBytes
        self.userAgent = userAgent
        self.caBundlePath = caBundlePath
    }
}
