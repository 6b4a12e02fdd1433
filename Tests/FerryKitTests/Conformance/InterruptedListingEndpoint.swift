import Foundation
@testable import FerryKit

/// Wraps an endpoint so that a job stops part way through its listing: when the listing is
/// asked for entry number `cancelBeforeEntry` (1-based), `cancellation` is cancelled first — as
/// if the user pressed Ctrl-C while the enumerator was still scanning. Everything else is
/// forwarded unchanged. Thread-safe: immutable apart from the thread-safe flag.
struct InterruptedListingEndpoint: Endpoint {
    let inner: any Endpoint
    let cancelBeforeEntry: Int
    let cancellation: CancellationFlag

    var redactedDescription: String { inner.redactedDescription }
    var capabilities: EndpointCapabilities { inner.capabilities }

    func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        CountingListing(inner: try inner.list(prefix: prefix, recursive: recursive), cancelBeforeEntry: cancelBeforeEntry,
                        cancellation: cancellation)
    }

    func stat(_ path: String) throws -> ObjectInfo? { try inner.stat(path) }

    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
              meter: any TransferMeter) throws -> Int {
        try inner.read(path, range: range, into: buffer, meter: meter)
    }

    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        try inner.makeWriter(for: path, plan: plan)
    }

    func delete(_ path: String) throws { try inner.delete(path) }
}

private struct CountingListing: ObjectListing {
    var inner: any ObjectListing
    let cancelBeforeEntry: Int
    let cancellation: CancellationFlag
    var handedOut = 0

    mutating func next() throws -> ObjectInfo? {
        handedOut += 1
        if handedOut == cancelBeforeEntry { cancellation.cancel() }
        return try inner.next()
    }
}
