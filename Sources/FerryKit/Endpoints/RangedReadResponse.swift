import FerryHTTP

/// Checks the answer to a ranged GET that wrote into a block buffer (Azure and S3 answer alike):
/// 416 means the object is shorter than the range start; 206 must start where asked; a 200 is
/// the whole object, acceptable only for a range starting at 0. Pure; safe from any thread.
enum RangedReadResponse {
    /// Bytes read into the buffer. Call after the endpoint has turned non-2xx/416 answers into
    /// its own errors (`require`); `target` is the redacted object description for messages.
    static func bytesRead(_ response: HTTPResponse, range: Range<Int64>, operation: String,
                          target: @autoclosure () -> String) throws -> Int {
        if response.status == 416 { return 0 }
        if response.status == 206 {
            guard response.header("content-range").flatMap(rangeStart) == range.lowerBound else {
                throw FerryError(.protocolViolation, "\(operation) \(target()) failed: the service sent a different range than asked",
                                 disposition: .retry, cause: "content-range: \(response.header("content-range") ?? "none")")
            }
        } else if range.lowerBound != 0 {
            throw FerryError(.protocolViolation, "\(operation) \(target()) failed: the service ignored the range",
                             disposition: .retry)
        }
        return response.bytesWrittenToBuffer
    }

    /// The first byte of `bytes a-b/total`.
    static func rangeStart(_ contentRange: String) -> Int64? {
        guard let bytes = contentRange.split(separator: " ").last,
              let dash = bytes.firstIndex(of: "-") else { return nil }
        return Int64(bytes[..<dash])
    }
}
