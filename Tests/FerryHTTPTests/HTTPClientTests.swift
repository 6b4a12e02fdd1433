import Foundation
import Testing
@testable import FerryHTTP

/// Counts bytes reported by the client's progress closure, from any thread.
final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var calls = 0
    func add(_ count: Int) { lock.withLock { total += count; calls += 1 } }
    var bytes: Int { lock.withLock { total } }
    var callCount: Int { lock.withLock { calls } }
}

@Suite struct HTTPClientTests {
    static let payload = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    func withServer<T>(_ respond: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response,
                       _ body: (LoopbackHTTPServer) throws -> T) throws -> T {
        let server = try LoopbackHTTPServer(respond: respond)
        defer { server.stop() }
        return try body(server)
    }

    @Test func getCollectsBodyAndLowerCasesHeaders() throws {
        try withServer({ _ in .init(status: 200, headers: [("X-Ms-Request-Id", "abc"), ("ETag", "\"1\"")], body: Data("hello".utf8)) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            let response = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/a/b?x=1",
                                                          headers: [HTTPHeader("X-Custom", "v")]))
            #expect(response.status == 200)
            #expect(response.body == Data("hello".utf8))
            #expect(response.headers["x-ms-request-id"] == "abc")
            #expect(response.header("ETag") == "\"1\"")
            let seen = try #require(server.requests.first)
            #expect(seen.method == "GET" && seen.target == "/a/b?x=1")
            #expect(seen.headers["x-custom"] == "v")
        }
    }

    @Test func putStreamsTheBodyWithProgressAndNoExpect() throws {
        try withServer({ request in .init(status: 201, body: Data("\(request.body.count)".utf8)) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1, uploadChunkBytes: 64 << 10))
            let counter = ByteCounter()
            let response = try Self.payload.withUnsafeBytes { body in
                try client.perform(HTTPRequest(method: "PUT", url: server.baseURL + "/up"), body: body,
                                   progress: { counter.add($0) })
            }
            #expect(response.status == 201)
            let seen = try #require(server.requests.first)
            #expect(seen.body == Self.payload)
            #expect(seen.headers["content-length"] == String(Self.payload.count))
            #expect(seen.headers["expect"] == nil)
            #expect(seen.headers["content-type"] == nil)
            #expect(counter.bytes == Self.payload.count)
            #expect(counter.callCount > 1)
        }
    }

    @Test func emptyPutSendsContentLengthZero() throws {
        try withServer({ _ in .init(status: 201) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            _ = try client.perform(HTTPRequest(method: "PUT", url: server.baseURL + "/c?restype=container"))
            #expect(server.requests.first?.headers["content-length"] == "0")
        }
    }

    @Test func bodyGoesStraightIntoTheBuffer() throws {
        try withServer({ _ in .init(status: 206, body: Self.payload) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            let counter = ByteCounter()
            var buffer = [UInt8](repeating: 0, count: Self.payload.count + 10)
            let response = try buffer.withUnsafeMutableBytes { target in
                try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                                   destination: .buffer(target), progress: { counter.add($0) })
            }
            #expect(response.status == 206)
            #expect(response.bytesWrittenToBuffer == Self.payload.count)
            #expect(response.body.isEmpty)
            #expect(Data(buffer.prefix(Self.payload.count)) == Self.payload)
            #expect(counter.bytes == Self.payload.count)
        }
    }

    @Test func tooMuchForTheBufferIsAnError() throws {
        try withServer({ _ in .init(status: 200, body: Self.payload) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            var buffer = [UInt8](repeating: 0, count: 1000)
            do {
                _ = try buffer.withUnsafeMutableBytes { target in
                    try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"), destination: .buffer(target))
                }
                Issue.record("an oversized body was accepted")
            } catch let error as HTTPError {
                #expect(error.kind == .responseTooLarge(limitBytes: 1000))
                #expect(!error.isRetryable)
            }
        }
    }

    @Test func errorBodiesAreCollectedNotWrittenToTheBuffer() throws {
        let errorXML = Data("<Error><Code>BlobNotFound</Code></Error>".utf8)
        try withServer({ _ in .init(status: 404, headers: [("x-ms-error-code", "BlobNotFound")], body: errorXML) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            var buffer = [UInt8](repeating: 0xEE, count: 8)
            let response = try buffer.withUnsafeMutableBytes { target in
                try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/x"), destination: .buffer(target))
            }
            #expect(response.status == 404)
            #expect(response.body == errorXML)
            #expect(response.bytesWrittenToBuffer == 0)
            #expect(buffer == [UInt8](repeating: 0xEE, count: 8))
        }
    }

    @Test func collectCapIsEnforced() throws {
        try withServer({ _ in .init(status: 200, body: Self.payload) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            #expect(throws: HTTPError.self) {
                try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/big"), destination: .collect(maxBytes: 100))
            }
        }
    }

    @Test func headHasNoBody() throws {
        try withServer({ _ in .init(status: 200, headers: [("x-ms-meta-a", "b")], body: Data("ignored".utf8)) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1))
            let response = try client.perform(HTTPRequest(method: "HEAD", url: server.baseURL + "/x"))
            #expect(response.status == 200)
            #expect(response.headers["x-ms-meta-a"] == "b")
            #expect(response.body.isEmpty)
        }
    }

    @Test func refusedConnectionIsARetryableTransportError() throws {
        // Bind a port, then close it, so nothing listens there.
        let server = try LoopbackHTTPServer(respond: { _ in .init(status: 200) })
        let url = server.baseURL + "/x"
        server.stop()
        let client = HTTPClient(configuration: .init(connectionCount: 1, connectTimeoutSeconds: 5))
        do {
            _ = try client.perform(HTTPRequest(method: "GET", url: url))
            Issue.record("a closed port answered")
        } catch let error as HTTPError {
            #expect(error.curlCode == 7)
            #expect(error.isRetryable)
        }
    }

    @Test func connectionsAreKeptAliveAndBounded() throws {
        try withServer({ _ in .init(status: 200, body: Data("ok".utf8)) }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 2))
            for _ in 0..<5 {
                _ = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/seq"))
            }
            #expect(server.acceptedConnections == 1)
            let failures = ByteCounter()
            DispatchQueue.concurrentPerform(iterations: 16) { _ in
                do {
                    let response = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/par"))
                    if response.status != 200 { failures.add(1) }
                } catch {
                    failures.add(1)
                }
            }
            #expect(failures.bytes == 0)
            #expect(server.requests.count == 21)
            #expect(server.acceptedConnections <= 2)
        }
    }

    @Test func aStalledTransferFailsAsRetryable() throws {
        try withServer({ _ in
            Thread.sleep(forTimeInterval: 4)
            return .init(status: 200, body: Data("late".utf8))
        }) { server in
            let client = HTTPClient(configuration: .init(connectionCount: 1, stallLimitBytesPerSecond: 1, stallTimeSeconds: 1))
            do {
                _ = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/slow"))
                Issue.record("a stalled transfer succeeded")
            } catch let error as HTTPError {
                #expect(error.curlCode == 28)   // CURLE_OPERATION_TIMEDOUT
                #expect(error.isRetryable)
            }
        }
    }
}
