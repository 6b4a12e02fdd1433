import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Answers no real S3 gives on demand (200 with an `<Error>` body, NoSuchUpload after a lost
/// answer, SlowDown with Retry-After), from a scripted loopback server, to check the writer's
/// and endpoint's wiring around them. `LoopbackHTTPServer` is FerryHTTPTests' server, linked in.
@Suite struct S3ScriptedServerTests {
    typealias Response = LoopbackHTTPServer.Response

    static func withServer(_ respond: @escaping @Sendable (LoopbackHTTPServer.Request) -> Response,
                           _ body: (S3Endpoint, LoopbackHTTPServer) throws -> Void) throws {
        let server = try LoopbackHTTPServer(respond: respond)
        defer { server.stop() }
        let endpoint = try S3Endpoint(url: "s3://bucket/root", options: S3EndpointOptions(endpointURL: server.baseURL),
                                      credentials: S3CredentialSources(environment: ["AWS_ACCESS_KEY_ID": "AKID",
                                                                                     "AWS_SECRET_ACCESS_KEY": "scripted-secret"]),
                                      connectionCount: 2)
        try body(endpoint, server)
    }

    static let blocks = [BlockRef(index: 0, offset: 0, length: 5 << 20, layout: 0, id: "a"),
                         BlockRef(index: 1, offset: 5 << 20, length: 10, layout: 0, id: "b")]

    static func xml(_ text: String) -> Data { Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text).utf8) }

    /// ListParts of upload U1 (what a resumed writer checks first): the upload exists, no parts yet.
    static func listParts(_ request: LoopbackHTTPServer.Request) -> Response? {
        guard request.method == "GET", request.target.contains("uploadId=U1") else { return nil }
        return Response(status: 200, headers: [("Content-Type", "application/xml")],
                        body: xml("<ListPartsResult><Bucket>bucket</Bucket><Key>root/f.bin</Key><UploadId>U1</UploadId>"
                                  + "<IsTruncated>false</IsTruncated></ListPartsResult>"))
    }

    @Test func twoHundredWithErrorOnCompleteIsRetryable() throws {
        try Self.withServer({ request in
            Self.listParts(request) ?? Response(status: 200, headers: [("Content-Type", "application/xml")],
                     body: Self.xml("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"))
        }) { endpoint, server throws in
            let writer = try endpoint.makeWriter(for: "f.bin", plan: ObjectWritePlan(sizeBytes: 5_242_890, blockSizeBytes: 5 << 20,
                                                                                      resumeToken: "U1"))
            #expect { try writer.commit(Self.blocks, receipts: ["\"e1\"", "\"e2\""], properties: ObjectProperties(crc64: 7)) } throws: {
                let error = $0 as? FerryError
                return error?.disposition == .retry && error?.code == .serviceBusy
            }
            let request = try #require(server.requests.first { $0.method == "POST" })
            #expect(request.method == "POST")
            #expect(request.target == "/bucket/root/f.bin?uploadId=U1")
            #expect(request.headers["x-amz-checksum-crc64nvme"] == CRC64.s3Base64(7))
            #expect(request.headers["x-amz-checksum-type"] == "FULL_OBJECT")
            let body = String(decoding: request.body, as: UTF8.self)
            #expect(body.contains("<Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part><Part><PartNumber>2</PartNumber>"))
            // Plain http: the body's SHA-256 is signed, and the Authorization covers the checksum header.
            #expect(request.headers["x-amz-content-sha256"] == Digests.hex(Digests.sha256(request.body)))
            #expect(request.headers["authorization"]?.contains("x-amz-checksum-crc64nvme;x-amz-checksum-type") == true)
        }
    }

    @Test func noSuchUploadAfterALostAnswerChecksTheObject() throws {
        let crc: UInt64 = 0x1234_5678_9ABC_DEF0
        try Self.withServer({ request in
            if let parts = Self.listParts(request) { return parts }
            if request.method == "POST" {
                return Response(status: 404, body: Self.xml("<Error><Code>NoSuchUpload</Code><Message>gone</Message></Error>"))
            }
            return Response(status: 200, headers: [("ETag", "\"0123456789abcdef0123456789abcdef-2\""),
                                                   ("x-amz-checksum-crc64nvme", CRC64.s3Base64(crc))],
                            body: Data(count: 5_242_890))
        }) { endpoint, _ throws in
            let writer = try endpoint.makeWriter(for: "f.bin", plan: ObjectWritePlan(sizeBytes: 5_242_890, blockSizeBytes: 5 << 20,
                                                                                      resumeToken: "U1"))
            try writer.commit(Self.blocks, receipts: ["\"e1\"", "\"e2\""], properties: ObjectProperties(crc64: crc))
            #expect { try writer.commit(Self.blocks, receipts: ["\"e1\"", "\"e2\""], properties: ObjectProperties(crc64: crc ^ 1)) } throws: {
                ($0 as? FerryError)?.code == .notFound
            }
        }
    }

    @Test func slowDownCarriesRetryAfter() throws {
        try Self.withServer({ _ in
            Response(status: 503, headers: [("Retry-After", "3")],
                     body: Self.xml("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"))
        }) { endpoint, _ throws in
            let writer = try endpoint.makeWriter(for: "f.bin", plan: ObjectWritePlan(sizeBytes: 3, blockSizeBytes: 5 << 20))
            #expect {
                try [UInt8](repeating: 1, count: 3).withUnsafeBytes {
                    try writer.writeWhole($0, checksums: BlockChecksums(crc64: 1), properties: ObjectProperties(), meter: UnmeteredTransfer())
                }
            } throws: {
                let error = $0 as? FerryError
                return error?.disposition == .retry && error?.retryAfterSeconds == 3
            }
        }
    }

    @Test func headWithoutBodyIsClassifiedByStatus() throws {
        try Self.withServer({ request in
            Response(status: request.target.contains("denied") ? 403 : 404)
        }) { endpoint, _ throws in
            #expect(try endpoint.stat("missing.bin") == nil)
            #expect { _ = try endpoint.stat("denied.bin") } throws: { ($0 as? FerryError)?.code == .authenticationFailed }
        }
    }
}
