import NIOCore
import NIOHTTP1

/// Pulls one connection's request parts in order: a head, then its body chunks until the end.
/// Reading only as fast as the caller asks is what gives uploads their backpressure (the async
/// inbound stream stops reading the socket when its buffer is full). Not thread-safe: owned by
/// the one task that serves the connection.
final class RequestReader {
    private var iterator: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator
    private var bodyFinished = true
    /// Body bytes of the current request read so far (account limits charge chunked bodies by it).
    private(set) var bodyBytesRead: Int64 = 0

    init(_ inbound: NIOAsyncChannelInboundStream<HTTPServerRequestPart>) {
        iterator = inbound.makeAsyncIterator()
    }

    /// The next request's head, or nil when the client closed the connection.
    func nextHead() async throws -> HTTPRequestHead? {
        try await drainBody()
        while let part = try await iterator.next() {
            if case .head(let head) = part {
                bodyFinished = false
                bodyBytesRead = 0
                return head
            }
        }
        return nil
    }

    /// The next chunk of the current request's body, or nil at its end.
    func nextBodyChunk() async throws -> ByteBuffer? {
        guard !bodyFinished else { return nil }
        while let part = try await iterator.next() {
            switch part {
            case .body(let buffer):
                bodyBytesRead += Int64(buffer.readableBytes)
                return buffer
            case .end:
                bodyFinished = true
                return nil
            case .head: throw RequestStreamError.unexpectedHead
            }
        }
        bodyFinished = true
        throw RequestStreamError.connectionClosed
    }

    /// Reads and discards what is left of the current body (before answering an error).
    func drainBody() async throws {
        while try await nextBodyChunk() != nil {}
    }

    /// Reads the whole body into memory, refusing more than `limitBytes` (small XML/JSON bodies only).
    func collectBody(limitBytes: Int) async throws -> ByteBuffer? {
        var collected: ByteBuffer?
        while var chunk = try await nextBodyChunk() {
            if (collected?.readableBytes ?? 0) + chunk.readableBytes > limitBytes {
                try await drainBody()
                return nil
            }
            if collected == nil { collected = chunk } else { collected!.writeBuffer(&chunk) }
        }
        return collected ?? ByteBuffer()
    }
}

enum RequestStreamError: Error {
    case unexpectedHead
    case connectionClosed
    /// A `drop` fault: close the connection without a complete response.
    case dropConnection
}
