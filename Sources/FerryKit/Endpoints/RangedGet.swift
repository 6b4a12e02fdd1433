import FerryHTTP

/// How a remote endpoint answers `read` and `stream`: one ranged GET whose body goes into the
/// caller's buffer, or piece by piece to its sink (`StreamedBody`). Azure and S3 differ only in
/// the GET they pass in. Stateless.
enum RangedGet {
    /// Sends the GET with its body going to the given destination; returns the bytes delivered.
    typealias Get = (HTTPResponseBodyDestination) throws -> Int

    static func read(_ range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer, _ get: Get) throws -> Int {
        guard !range.isEmpty else { return 0 }
        precondition(buffer.count >= range.count, "read buffer smaller than the range")
        return try get(.buffer(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<range.count])))
    }

    static func stream(_ range: Range<Int64>, into sink: (UnsafeRawBufferPointer) throws -> Void, _ get: Get) throws -> Int {
        guard !range.isEmpty else { return 0 }
        return try withoutActuallyEscaping(sink) { sink in
            let body = StreamedBody(sink)
            return try body.run { try get(body.destination(maxBytes: range.count)) }
        }
    }
}
