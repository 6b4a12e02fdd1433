import NIOCore

/// What an operation answers: status, headers, and a body that is either small bytes or a
/// range of blob content streamed from disk. Value type.
struct ServiceResponse: Sendable {
    enum Body: Sendable {
        case empty
        case bytes(ByteBuffer)
        /// Blob content: the files and byte spans to send, in order.
        case blobContent([ContentSegment])
    }

    var status: Int
    var headers: [(String, String)] = []
    var body: Body = .empty
    /// For HEAD: the Content-Length to announce without a body.
    var announcedLength: Int64?

    init(status: Int, headers: [(String, String)] = [], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func xml(_ status: Int, _ text: String, headers: [(String, String)] = []) -> ServiceResponse {
        ServiceResponse(status: status, headers: headers + [("Content-Type", "application/xml")],
                        body: .bytes(ByteBuffer(string: text)))
    }

    var bodyLength: Int64 {
        switch body {
        case .empty: announcedLength ?? 0
        case .bytes(let buffer): Int64(buffer.readableBytes)
        case .blobContent(let segments): segments.reduce(0) { $0 + $1.length }
        }
    }
}

/// A span of one data file.
struct ContentSegment: Sendable, Equatable {
    var path: String
    var offset: Int64
    var length: Int64
}
