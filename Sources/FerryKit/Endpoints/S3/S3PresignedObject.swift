import FerryHTTP
import Foundation

/// One object behind a presigned GET URL: a read-only source whose signature (and so its
/// authority) is in the URL. The signature covers the method, so the size comes from a one-byte
/// ranged GET rather than a HEAD. Thread-safe: immutable apart from the pooled HTTP client.
struct S3PresignedObject: Sendable {
    let url: String
    let http: HTTPClient

    var redactedDescription: String { Redaction.url(url) }

    /// The object's last path segment, decoded: its name when copied into a directory.
    var objectName: String {
        let beforeQuery = url.prefix(while: { $0 != "?" })
        let last = beforeQuery.split(separator: "/").last.map(String.init) ?? ""
        return last.removingPercentEncoding ?? last
    }

    func stat() throws -> ObjectInfo? {
        var probe = [UInt8](repeating: 0, count: 1)
        let operation = "reading the properties of"
        let response = try probe.withUnsafeMutableBytes { buffer in
            try send(range: 0..<1, destination: .buffer(buffer), meter: nil, operation: operation)
        }
        if response.status == 404 { return nil }
        var headers = response.headers
        if response.status == 206, let total = response.header("content-range")?.split(separator: "/").last {
            headers["content-length"] = String(total)
        } else if response.status == 416 {
            // An empty object: no byte 0 to send.
            headers["content-length"] = "0"
        } else {
            try require(response, [200], operation: operation)
        }
        return S3ObjectHeaders.objectInfo(path: "", headers: headers)
    }

    func read(range: Range<Int64>, destination: HTTPResponseBodyDestination, meter: any TransferMeter) throws -> Int {
        let operation = "downloading"
        let response = try send(range: range, destination: destination, meter: meter, operation: operation)
        if response.status == 416 { return 0 }
        try require(response, [200, 206], operation: operation)
        if response.status == 200, range.lowerBound != 0 {
            throw FerryError(.protocolViolation, "\(operation) \(redactedDescription) failed: the service ignored the range",
                             disposition: .retry)
        }
        return response.bytesWrittenToBuffer
    }

    private func send(range: Range<Int64>, destination: HTTPResponseBodyDestination, meter: (any TransferMeter)?,
                      operation: String) throws -> HTTPResponse {
        let request = HTTPRequest(method: "GET", url: url,
                                  headers: [HTTPHeader("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")])
        return try S3Client.perform(request, body: nil, destination: destination, meter: meter, operation: operation,
                                    target: redactedDescription, http: http)
    }

    private func require(_ response: HTTPResponse, _ expected: Set<Int>, operation: String) throws {
        guard expected.contains(response.status) else {
            throw S3ErrorClassifier.error(for: response, operation: operation, target: redactedDescription)
        }
    }
}
