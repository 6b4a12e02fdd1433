/// One HTTP request as the client sends it: method, absolute URL and headers. The body travels
/// separately (see `HTTPClient.perform`) because it is borrowed memory, not owned by the value.
/// Value type; safe to share between threads.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Sent in order. A header with an empty value is sent with an empty value. `Content-Length`
    /// is set by the client from the body; callers must not add it.
    public var headers: [HTTPHeader]

    public init(method: String, url: String, headers: [HTTPHeader] = []) {
        self.method = method
        self.url = url
        self.headers = headers
    }
}

/// One request header (name as the caller spells it). Value type; safe to share between threads.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Where a response body goes. Not Sendable on purpose: it may borrow the caller's buffer, which
/// must stay valid and untouched by others until `perform` returns.
public enum HTTPResponseBodyDestination {
    /// Collect the body into `HTTPResponse.body`; more than `maxBytes` is an error.
    case collect(maxBytes: Int)
    /// Write a successful (2xx) body straight into this buffer, without an extra copy. More bytes
    /// than fit is an error. Error bodies (non-2xx) are collected into `HTTPResponse.body` instead,
    /// up to `HTTPResponse.errorBodyLimitBytes`, so the caller can read the service's error code.
    case buffer(UnsafeMutableRawBufferPointer)
    /// Hand a successful (2xx) body to `sink` piece by piece, in order, as it arrives (no buffer
    /// of the whole body); `sink` returns false to stop the transfer. More than `maxBytes` is an
    /// error. Error bodies are collected as for `.buffer`.
    case stream(maxBytes: Int, sink: (UnsafeRawBufferPointer) -> Bool)
}
