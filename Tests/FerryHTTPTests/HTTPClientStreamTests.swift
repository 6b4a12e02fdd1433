import Foundation
import Testing
@testable import FerryHTTP

/// The `.stream` body destination: pieces in order, stop on request, limits, error bodies.
@Suite struct HTTPClientStreamTests {
    static let payload = HTTPClientTests.payload

    /// Collects streamed pieces (called on the transfer's thread only).
    final class Pieces: @unchecked Sendable {
        var data = Data()
        var count = 0
    }

    @Test func bodyArrivesInOrderPieceByPieceWithProgress() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 206, body: Self.payload) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1, downloadChunkBytes: 64 << 10))
        let pieces = Pieces()
        let counter = ByteCounter()
        let response = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                                          destination: .stream(maxBytes: Self.payload.count) { piece in
                                              pieces.data.append(contentsOf: piece)
                                              pieces.count += 1
                                              return true
                                          }, progress: { counter.add($0) })
        #expect(response.status == 206)
        #expect(response.bytesWrittenToBuffer == Self.payload.count)
        #expect(pieces.data == Self.payload)
        // 3 MB in pieces of at most 64 KiB: many pieces, never the body at once.
        #expect(pieces.count >= Self.payload.count / (64 << 10))
        #expect(counter.bytes == Self.payload.count)
    }

    @Test func piecesAreGatheredUpToTheChunkSize() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 206, body: Self.payload) }
        defer { server.stop() }
        let chunk = 64 << 10
        let client = HTTPClient(configuration: .init(connectionCount: 1, downloadChunkBytes: chunk))
        var sizes: [Int] = []
        let pieces = Pieces()
        _ = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                               destination: .stream(maxBytes: Self.payload.count) { piece in
                                   pieces.data.append(contentsOf: piece)
                                   sizes.append(piece.count)
                                   return true
                               })
        #expect(pieces.data == Self.payload)
        // libcurl calls back with at most 16 KiB; the sink sees whole chunks but the last.
        #expect(sizes.dropLast().allSatisfy { $0 == chunk })
        #expect(sizes.count == (Self.payload.count + chunk - 1) / chunk)
    }

    @Test func aBodyShorterThanTheLimitIsHandedOverWhenItEnds() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Self.payload) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1, downloadChunkBytes: 64 << 10))
        let pieces = Pieces()
        let counter = ByteCounter()
        let response = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                                          destination: .stream(maxBytes: Self.payload.count + 1000) { piece in
                                              pieces.data.append(contentsOf: piece)
                                              return true
                                          }, progress: { counter.add($0) })
        #expect(response.bytesWrittenToBuffer == Self.payload.count)
        #expect(pieces.data == Self.payload)
        #expect(counter.bytes == Self.payload.count)
    }

    @Test func aSinkThatRefusesTheLastPieceFailsTheTransfer() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Self.payload) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1, downloadChunkBytes: 64 << 10))
        let pieces = Pieces()
        #expect(throws: HTTPError.self) {
            try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                               destination: .stream(maxBytes: Self.payload.count + 1000) { piece in
                                   pieces.data.append(contentsOf: piece)
                                   return pieces.data.count < Self.payload.count
                               })
        }
        #expect(pieces.data == Self.payload)
    }

    @Test func aSinkThatSaysStopEndsTheTransferWithAnError() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Self.payload) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1))
        let pieces = Pieces()
        #expect(throws: HTTPError.self) {
            try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                               destination: .stream(maxBytes: Self.payload.count) { piece in
                                   pieces.count += 1
                                   return false
                               })
        }
        #expect(pieces.count == 1)
    }

    @Test func moreThanMaxBytesIsAnError() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Self.payload) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1))
        let pieces = Pieces()
        do {
            _ = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/blob"),
                                   destination: .stream(maxBytes: 1000) { piece in
                                       pieces.data.append(contentsOf: piece)
                                       return true
                                   })
            Issue.record("an oversized body was accepted")
        } catch let error as HTTPError {
            #expect(error.kind == .responseTooLarge(limitBytes: 1000))
        }
        #expect(pieces.data.count <= 1000)
    }

    @Test func errorBodiesAreCollectedNotStreamed() throws {
        let errorXML = Data("<Error><Code>BlobNotFound</Code></Error>".utf8)
        let server = try LoopbackHTTPServer { _ in .init(status: 404, body: errorXML) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(connectionCount: 1))
        let pieces = Pieces()
        let response = try client.perform(HTTPRequest(method: "GET", url: server.baseURL + "/x"),
                                          destination: .stream(maxBytes: 1 << 20) { _ in
                                              pieces.count += 1
                                              return true
                                          })
        #expect(response.status == 404)
        #expect(response.body == errorXML)
        #expect(response.bytesWrittenToBuffer == 0)
        #expect(pieces.count == 0)
    }
}
