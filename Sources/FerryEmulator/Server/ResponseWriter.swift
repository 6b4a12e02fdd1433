import Foundation
import NIOCore
import NIOHTTP1

/// Writes responses onto one connection, adding the headers every answer carries (A2): request
/// id, version, date, echoed client request id, Content-Length. Not thread-safe: used by the
/// connection's task only; the channel calls it makes are themselves thread-safe.
struct ResponseWriter {
    static let serviceVersion = "2025-01-05"

    let channel: Channel
    let stats: EmulatorStats

    func head(_ response: ServiceResponse, requestID: String, clientRequestID: String?, keepAlive: Bool) async throws {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.bodyLength))
        headers.add(name: "x-ms-request-id", value: requestID)
        headers.add(name: "x-ms-version", value: Self.serviceVersion)
        headers.add(name: "Date", value: HTTPDate.format(Date()))
        headers.add(name: "Server", value: "ferry-emulator/\(FerryEmulatorVersion.string)")
        if let clientRequestID { headers.add(name: "x-ms-client-request-id", value: clientRequestID) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        try await channel.writeAndFlush(HTTPServerResponsePart.head(head)).get()
    }

    func body(_ buffer: ByteBuffer) async throws {
        stats.addBytesOut(buffer.readableBytes)
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).get()
    }

    func fileRegion(_ region: FileRegion) async throws {
        stats.addBytesOut(region.readableBytes)
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.fileRegion(region))).get()
    }

    func end() async throws {
        try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
    }

    func sendContinue() async throws {
        let head = HTTPResponseHead(version: .http1_1, status: .continue)
        try await channel.writeAndFlush(HTTPServerResponsePart.head(head)).get()
    }

    /// A small response (no blob content) written whole.
    func send(_ response: ServiceResponse, requestID: String, clientRequestID: String?, keepAlive: Bool,
              isHead: Bool) async throws {
        try await head(response, requestID: requestID, clientRequestID: clientRequestID, keepAlive: keepAlive)
        if !isHead, case .bytes(let buffer) = response.body, buffer.readableBytes > 0 {
            try await body(buffer)
        }
        try await end()
    }

    /// The A10 error answer: XML body (none for HEAD), `x-ms-error-code`, extra headers.
    static func errorResponse(_ error: ServiceError, requestID: String) -> ServiceResponse {
        var headers = error.headers + [("x-ms-error-code", error.code)]
        if error.status == 304 {
            return ServiceResponse(status: 304, headers: headers)
        }
        headers.append(("Content-Type", "application/xml"))
        let xml = ErrorBody.xml(for: error, requestID: requestID, time: Date())
        return ServiceResponse(status: error.status, headers: headers, body: .bytes(ByteBuffer(string: xml)))
    }
}
