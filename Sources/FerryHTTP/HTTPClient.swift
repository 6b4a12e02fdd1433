import CFerryCurlShim
import Foundation

/// A blocking HTTP/1.1 and HTTP/2 (over TLS, where the server offers it) client on libcurl.
///
/// Concurrency: thread-safe. `perform` blocks the calling thread for the whole transfer, so call
/// it from your own worker threads, never from Swift's cooperative pool. At most
/// `configuration.connectionCount` transfers run at once; further callers wait for a free
/// connection. Each pooled connection is kept alive and reused.
///
/// TLS certificates and host names are always verified. `Expect: 100-continue` is never sent.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let pool: CurlHandlePool

    public init(configuration: HTTPClientConfiguration) {
        self.configuration = configuration
        pool = CurlHandlePool(capacity: configuration.connectionCount)
    }

    /// Sends `request` with `body` (streamed from the caller's memory; nil or empty sends no body,
    /// but `Content-Length: 0` for PUT and POST) and stores the response body in `destination`.
    /// `progress` sees every request-body chunk as libcurl takes it and every response-body chunk
    /// written into a `.buffer` or `.stream` destination; it may block to throttle.
    /// Throws `HTTPError` when no complete response arrived; any HTTP status is a response.
    public func perform(_ request: HTTPRequest, body: UnsafeRawBufferPointer? = nil,
                        destination: HTTPResponseBodyDestination = .collect(maxBytes: 32 << 20),
                        progress: (@Sendable (Int) -> Void)? = nil) throws -> HTTPResponse {
        try pool.withHandle { handle in
            try run(request, body: body ?? UnsafeRawBufferPointer(start: nil, count: 0),
                    destination: destination, progress: progress, on: handle)
        }
    }

    private func run(_ request: HTTPRequest, body: UnsafeRawBufferPointer, destination: HTTPResponseBodyDestination,
                     progress: (@Sendable (Int) -> Void)?, on handle: CurlEasyHandle) throws -> HTTPResponse {
        try handle.reset()
        let transfer = CurlTransfer(requestBody: body, destination: destination, progress: progress, handle: handle,
                                    stagingBytes: configuration.downloadChunkBytes)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            // "Name;" is libcurl's spelling for a header with an empty value ("Name:" removes it).
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            headerList = curl_slist_append(headerList, line)
        }
        // An empty "Expect:" stops libcurl from waiting for 100-continue before large bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        try configureConnection(handle)
        try handle.set(CURLOPT_URL, string: request.url, "CURLOPT_URL")
        try handle.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headerList), "CURLOPT_HTTPHEADER")
        try configureMethod(request.method, bodyCount: body.count, on: handle)
        try installCallbacks(for: transfer, on: handle)

        try withExtendedLifetime(transfer) {
            do {
                try handle.perform()
            } catch let error as HTTPError {
                if let limit = transfer.overflowLimitBytes {
                    throw HTTPError(.responseTooLarge(limitBytes: limit), message: "response body too large")
                }
                throw error
            }
            guard transfer.finishStream() else {
                throw HTTPError(.transport(curlCode: Int(CURLE_WRITE_ERROR.rawValue)),
                                message: "the receiver stopped the response body")
            }
        }
        let status = handle.info(CURLINFO_RESPONSE_CODE) ?? 0
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.collected,
                            bytesWrittenToBuffer: transfer.bytesWrittenToBuffer)
    }

    private func configureConnection(_ handle: CurlEasyHandle) throws {
        // Worker threads must not get signals from libcurl's resolver timeouts.
        try handle.set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try handle.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS), "CURLOPT_HTTP_VERSION")
        try handle.set(CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try handle.set(CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caBundlePath = configuration.caBundlePath {
            try handle.set(CURLOPT_CAINFO, string: caBundlePath, "CURLOPT_CAINFO")
        }
        try handle.set(CURLOPT_CONNECTTIMEOUT, configuration.connectTimeoutSeconds, "CURLOPT_CONNECTTIMEOUT")
        try handle.set(CURLOPT_LOW_SPEED_LIMIT, configuration.stallLimitBytesPerSecond, "CURLOPT_LOW_SPEED_LIMIT")
        try handle.set(CURLOPT_LOW_SPEED_TIME, configuration.stallTimeSeconds, "CURLOPT_LOW_SPEED_TIME")
        try handle.set(CURLOPT_TCP_KEEPALIVE, 1, "CURLOPT_TCP_KEEPALIVE")
        try handle.set(CURLOPT_UPLOAD_BUFFERSIZE, configuration.uploadChunkBytes, "CURLOPT_UPLOAD_BUFFERSIZE")
        try handle.set(CURLOPT_BUFFERSIZE, configuration.downloadChunkBytes, "CURLOPT_BUFFERSIZE")
        try handle.set(CURLOPT_USERAGENT, string: configuration.userAgent, "CURLOPT_USERAGENT")
        try handle.set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION")
        // Object names may contain "./" or "../" segments: send the path exactly as given (it is
        // also what Shared Key signed).
        try handle.set(CURLOPT_PATH_AS_IS, 1, "CURLOPT_PATH_AS_IS")
        // No CURLOPT_PROXY / CURLOPT_NOPROXY: libcurl then honours HTTPS_PROXY and NO_PROXY itself.
    }

    private func configureMethod(_ method: String, bodyCount: Int, on handle: CurlEasyHandle) throws {
        switch method {
        case "GET":
            try handle.set(CURLOPT_HTTPGET, 1, "CURLOPT_HTTPGET")
        case "HEAD":
            try handle.set(CURLOPT_NOBODY, 1, "CURLOPT_NOBODY")
        case "PUT", "POST":
            // UPLOAD streams the body through the read callback with a known Content-Length and,
            // unlike CURLOPT_POST, adds no Content-Type of its own (a signed header on Azure).
            try handle.set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bodyCount), "CURLOPT_INFILESIZE_LARGE")
            if method == "POST" {
                try handle.set(CURLOPT_CUSTOMREQUEST, string: method, "CURLOPT_CUSTOMREQUEST")
            }
        default:
            if bodyCount > 0 {
                try handle.set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
                try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bodyCount), "CURLOPT_INFILESIZE_LARGE")
            }
            try handle.set(CURLOPT_CUSTOMREQUEST, string: method, "CURLOPT_CUSTOMREQUEST")
        }
    }

    private func installCallbacks(for transfer: CurlTransfer, on handle: CurlEasyHandle) throws {
        let user = Unmanaged.passUnretained(transfer).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: user, "CURLOPT_WRITEDATA")
        try handle.set(CURLOPT_WRITEFUNCTION, dataCallback: { buffer, size, count, user in
            guard let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            let chunk = UnsafeRawBufferPointer(start: buffer, count: size * count)
            return transfer.receiveBody(chunk) ? size * count : 0
        }, "CURLOPT_WRITEFUNCTION")
        try handle.set(CURLOPT_HEADERDATA, pointer: user, "CURLOPT_HEADERDATA")
        try handle.set(CURLOPT_HEADERFUNCTION, dataCallback: { buffer, size, count, user in
            guard let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
            return size * count
        }, "CURLOPT_HEADERFUNCTION")
        try handle.set(CURLOPT_READDATA, pointer: user, "CURLOPT_READDATA")
        try handle.set(CURLOPT_READFUNCTION, dataCallback: { buffer, size, count, user in
            guard let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.fillUpload(UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        }, "CURLOPT_READFUNCTION")
        try handle.set(CURLOPT_SEEKDATA, pointer: user, "CURLOPT_SEEKDATA")
        try handle.set(CURLOPT_SEEKFUNCTION, seekCallback: { user, offset, origin in
            guard let user else { return Int32(CURL_SEEKFUNC_FAIL) }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.seekUpload(to: Int64(offset), origin: origin)
        }, "CURLOPT_SEEKFUNCTION")
    }
}
