import FerryHTTP

/// Connects a `StreamingEndpoint` sink, which throws, to an HTTP `.stream` destination, which
/// can only say stop: the sink's error is kept and rethrown in place of the transport error the
/// stop causes (a full disk must read as a full disk, not as a failed download). Azure and S3
/// share it. Lives for one request on one thread.
final class StreamedBody {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var sinkFailure: (any Error)?

    init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// The destination for a body of at most `maxBytes`.
    func destination(maxBytes: Int) -> HTTPResponseBodyDestination {
        .stream(maxBytes: maxBytes) { [self] piece in
            do {
                try sink(piece)
                return true
            } catch {
                sinkFailure = error
                return false
            }
        }
    }

    /// Runs the request, rethrowing the sink's own error if it stopped the transfer.
    func run<Result>(_ request: () throws -> Result) throws -> Result {
        do {
            return try request()
        } catch {
            if let sinkFailure { throw sinkFailure }
            throw error
        }
    }
}
