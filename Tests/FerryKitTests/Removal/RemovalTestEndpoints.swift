import Foundation
@testable import FerryKit

/// A `MemoryEndpoint` whose deletes can fail on chosen paths (for good, or a few times first),
/// can be held at a gate, and are counted, with the most that ran at once.
/// Thread-safe: lock-guarded (`@unchecked Sendable`).
final class ScriptedDeleteEndpoint: Endpoint, @unchecked Sendable {
    let store = MemoryEndpoint()
    private let lock = NSLock()
    private var failures: [String: (error: FerryError, remaining: Int)] = [:]
    private(set) var deleteCalls = 0
    private var running = 0
    private(set) var mostAtOnce = 0
    /// When set, every delete waits for it (to see how far the remover reads ahead).
    var gate: DispatchSemaphore?

    var redactedDescription: String { store.redactedDescription }
    var capabilities: EndpointCapabilities { store.capabilities }

    /// `path` fails `times` times (Int.max: always) with `error`.
    func fail(_ path: String, with error: FerryError, times: Int = .max) {
        lock.lock()
        failures[path] = (error, times)
        lock.unlock()
    }

    func list(prefix: String, recursive: Bool) throws -> any ObjectListing { try store.list(prefix: prefix, recursive: recursive) }
    func stat(_ path: String) throws -> ObjectInfo? { try store.stat(path) }
    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer, meter: any TransferMeter) throws -> Int {
        try store.read(path, range: range, into: buffer, meter: meter)
    }
    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter { try store.makeWriter(for: path, plan: plan) }

    func delete(_ path: String) throws {
        lock.lock()
        deleteCalls += 1
        running += 1
        mostAtOnce = max(mostAtOnce, running)
        let failure = failures[path]
        if let failure, failure.remaining > 0 { failures[path]?.remaining = failure.remaining == .max ? .max : failure.remaining - 1 }
        lock.unlock()
        defer {
            lock.lock()
            running -= 1
            lock.unlock()
        }
        gate?.wait()
        Thread.sleep(forTimeInterval: 0.002)  // long enough for workers to overlap
        if let failure, failure.remaining > 0 { throw failure.error }
        try store.delete(path)
    }

    /// Per-path result of a batch, for `BatchingDeleteEndpoint`.
    func result(for path: String) -> FerryError? {
        do {
            try delete(path)
            return nil
        } catch let error as FerryError {
            return error
        } catch {
            return FerryError(.internal, "\(error)", disposition: .skipItem)
        }
    }
}

/// The same store, deleting in batches of at most `maximumDeleteBatchCount`; records each
/// batch's paths. Thread-safe: lock-guarded (`@unchecked Sendable`).
final class BatchingDeleteEndpoint: BatchDeletingEndpoint, @unchecked Sendable {
    let inner = ScriptedDeleteEndpoint()
    let maximumDeleteBatchCount: Int
    private let lock = NSLock()
    private(set) var batches: [[String]] = []

    init(maximumDeleteBatchCount: Int) {
        self.maximumDeleteBatchCount = maximumDeleteBatchCount
    }

    var redactedDescription: String { inner.redactedDescription }
    var capabilities: EndpointCapabilities { inner.capabilities }
    func list(prefix: String, recursive: Bool) throws -> any ObjectListing { try inner.list(prefix: prefix, recursive: recursive) }
    func stat(_ path: String) throws -> ObjectInfo? { try inner.stat(path) }
    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer, meter: any TransferMeter) throws -> Int {
        try inner.read(path, range: range, into: buffer, meter: meter)
    }
    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter { try inner.makeWriter(for: path, plan: plan) }
    func delete(_ path: String) throws { try inner.delete(path) }

    func deleteBatch(_ paths: [String]) throws -> [FerryError?] {
        precondition(paths.count <= maximumDeleteBatchCount)
        lock.lock()
        batches.append(paths)
        lock.unlock()
        return paths.map(inner.result(for:))
    }
}
