import FerryChecksums
import Foundation

/// One object whose CRC-64 is to be found (a row of `ReceiptStaging`). Value type.
struct ChecksumTask: Sendable {
    var rowID: Int64
    var path: String
    var sizeBytes: Int64
}

/// A task's answer: the CRC-64, or why there is none. Value type.
struct ChecksumOutcome: Sendable {
    var task: ChecksumTask
    var result: Result<UInt64, FerryError>
}

/// Where a missing CRC-64 comes from.
public enum ChecksumSource: Sendable, Hashable {
    /// The store's stored CRC-64 (a `stat` where the listing had none, e.g. S3); objects the store
    /// keeps none for are read.
    case storedElseRead
    /// Always the bytes (`--read`; local files always).
    case read
}

/// Finds one object's CRC-64 from an endpoint: stat for a stored one, or read the bytes (streamed
/// where the endpoint streams, else 1 MiB at a time into `buffer`). Retries transient failures.
/// Each worker owns one; not thread-safe.
final class ObjectChecksummer {
    private let endpoint: any Endpoint
    private let source: ChecksumSource
    private var buffer: UnsafeMutableRawBufferPointer?
    private let retry: RetryPolicy
    private let cancellation = CancellationFlag()
    static let chunkBytes = 1 << 20

    init(endpoint: any Endpoint, source: ChecksumSource) {
        self.endpoint = endpoint
        self.source = endpoint.capabilities.isRemote ? source : .read
        var retry = RetryPolicy()
        retry.maximumAttempts = 5
        self.retry = retry
    }

    deinit { buffer?.deallocate() }

    func checksum(_ task: ChecksumTask) -> Result<UInt64, FerryError> {
        do {
            return .success(try retry.run(cancellation: cancellation) { try attempt(task) })
        } catch let error as FerryError {
            return .failure(error)
        } catch {
            return .failure(FerryError(.internal, "\(task.path): \(error)", disposition: .skipItem))
        }
    }

    private func attempt(_ task: ChecksumTask) throws -> UInt64 {
        if source == .storedElseRead {
            guard let info = try endpoint.stat(task.path) else { throw Self.vanished(task) }
            if let crc = info.crc64, info.sizeBytes == task.sizeBytes { return crc }
        }
        guard task.sizeBytes > 0 else { return CRC64().value }
        var crc = CRC64()
        let meter = UnmeteredTransfer()
        let count: Int
        if let streaming = endpoint as? any StreamingEndpoint {
            count = try streaming.stream(task.path, range: 0..<task.sizeBytes, meter: meter) { crc.update($0) }
        } else {
            let buffer = self.buffer ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkBytes, alignment: 64)
            self.buffer = buffer
            var offset: Int64 = 0
            while offset < task.sizeBytes {
                let end = min(task.sizeBytes, offset + Int64(Self.chunkBytes))
                let got = try endpoint.read(task.path, range: offset..<end, into: buffer, meter: meter)
                crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
                offset += Int64(got)
                if Int64(got) < end - (offset - Int64(got)) { break }  // the file got shorter
            }
            count = Int(offset)
        }
        guard Int64(count) == task.sizeBytes else {
            throw FerryError(.sourceChanged, "'\(task.path)' changed while it was read (\(count) of \(task.sizeBytes) bytes)",
                             disposition: .skipItem)
        }
        return crc.value
    }

    private static func vanished(_ task: ChecksumTask) -> FerryError {
        FerryError(.notFound, "'\(task.path)' disappeared while it was checked", disposition: .skipItem)
    }
}
