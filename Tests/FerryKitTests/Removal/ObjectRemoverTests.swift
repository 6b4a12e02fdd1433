import Foundation
import Testing
@testable import FerryKit

/// Collects `onResult` calls from the remover's worker threads. Lock-guarded (`@unchecked Sendable`).
final class RemovalResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(String, FerryError?)] = []

    func record(_ path: String, _ error: FerryError?) {
        lock.lock()
        results.append((path, error))
        lock.unlock()
    }

    var removed: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return Set(results.filter { $0.1 == nil }.map(\.0))
    }

    var failed: [String: FerryError] {
        lock.lock()
        defer { lock.unlock() }
        return Dictionary(results.compactMap { path, error in error.map { (path, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return results.count
    }
}

@Suite struct ObjectRemoverTests {
    static let quickRetries: RetryPolicy = {
        var policy = RetryPolicy()
        policy.sleep = { _ in }
        return policy
    }()

    static func filled(_ endpoint: ScriptedDeleteEndpoint, _ paths: [String]) {
        for path in paths { endpoint.store.put(path, Data(path.utf8)) }
    }

    static func paths(_ count: Int, _ prefix: String = "d/") -> [String] {
        (0..<count).map { "\(prefix)f\($0).bin" }
    }

    @Test func deletesEveryPathInParallelAndLeavesTheRest() {
        let endpoint = ScriptedDeleteEndpoint()
        let doomed = Self.paths(40)
        Self.filled(endpoint, doomed + ["keep/a.bin", "keep/b.bin"])
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 8).remove(doomed, onResult: results.record)
        #expect(summary.removed == 40 && summary.failed == 0 && summary.stoppedBy == nil && summary.succeeded)
        #expect(results.removed == Set(doomed))
        #expect(doomed.allSatisfy { endpoint.store.object($0) == nil })
        #expect(endpoint.store.object("keep/a.bin") != nil && endpoint.store.object("keep/b.bin") != nil)
        #expect(endpoint.mostAtOnce > 1 && endpoint.mostAtOnce <= 8)
    }

    @Test func dryRunReportsEachPathAndTouchesNothing() {
        let endpoint = ScriptedDeleteEndpoint()
        let paths = Self.paths(5)
        Self.filled(endpoint, paths)
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 4).remove(paths, dryRun: true, onResult: results.record)
        #expect(summary.removed == 5 && results.removed == Set(paths))
        #expect(endpoint.deleteCalls == 0)
        #expect(paths.allSatisfy { endpoint.store.object($0) != nil })
    }

    @Test func aFailedPathIsReportedAndTheOthersGo() {
        let endpoint = ScriptedDeleteEndpoint()
        let paths = Self.paths(6)
        Self.filled(endpoint, paths)
        endpoint.fail("d/f2.bin", with: FerryError(.io, "cannot delete d/f2.bin: busy", disposition: .skipItem))
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 3).remove(paths, onResult: results.record)
        #expect(summary.removed == 5 && summary.failed == 1 && !summary.succeeded && summary.stoppedBy == nil)
        #expect(results.failed["d/f2.bin"]?.code == .io)
        #expect(endpoint.store.object("d/f2.bin") != nil)
        #expect(results.removed == Set(paths.filter { $0 != "d/f2.bin" }))
    }

    @Test func transientFailuresAreRetried() {
        let endpoint = ScriptedDeleteEndpoint()
        Self.filled(endpoint, ["a", "b"])
        endpoint.fail("a", with: FerryError(.serviceBusy, "busy", disposition: .retry), times: 2)
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 2, retryPolicy: Self.quickRetries)
            .remove(["a", "b"]) { _, _ in }
        #expect(summary.removed == 2 && summary.failed == 0)
        #expect(endpoint.deleteCalls == 4)
    }

    @Test func anAuthenticationFailureStopsTheRemoval() {
        let endpoint = ScriptedDeleteEndpoint()
        let paths = Self.paths(200)
        Self.filled(endpoint, paths)
        endpoint.fail("d/f0.bin", with: FerryError(.authenticationFailed, "denied", disposition: .abortJob))
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 1).remove(paths, onResult: results.record)
        #expect(summary.stoppedBy?.code == .authenticationFailed)
        #expect(results.count < 200 && endpoint.deleteCalls < 200)
    }

    @Test func aListingThatFailsMidwayFinishesWhatItGaveAndSaysWhy() {
        let endpoint = ScriptedDeleteEndpoint()
        let paths = Self.paths(10)
        Self.filled(endpoint, paths)
        var given = 0
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 4).remove(next: {
            guard given < 4 else { throw FerryError(.network, "listing failed", disposition: .skipItem) }
            defer { given += 1 }
            return paths[given]
        }, onResult: results.record)
        #expect(summary.stoppedBy?.message == "listing failed")
        #expect(summary.removed == 4 && results.removed == Set(paths.prefix(4)))
        #expect(paths.dropFirst(4).allSatisfy { endpoint.store.object($0) != nil })
    }

    @Test func pathsAreReadAheadOnlyAsFarAsTheQueueHolds() {
        let endpoint = ScriptedDeleteEndpoint()
        let gate = DispatchSemaphore(value: 0)
        endpoint.gate = gate
        let pulled = RemovalResults()
        let remover = ObjectRemover(endpoint: endpoint, concurrency: 2)
        let done = DispatchSemaphore(value: 0)
        Thread {
            var next = 0
            _ = remover.remove(next: {
                guard next < 1000 else { return nil }
                next += 1
                pulled.record("p\(next)", nil)
                return "p\(next)"
            }) { _, _ in }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.3)
        // 2 workers each holding one path, 4 queued, one waiting to be queued.
        #expect(pulled.count <= 2 + 4 + 1)
        for _ in 0..<1000 { gate.signal() }
        done.wait()
        #expect(pulled.count == 1000)
    }

    @Test func batchingEndpointsGetFullBatchesAndPerPathResults() {
        let endpoint = BatchingDeleteEndpoint(maximumDeleteBatchCount: 3)
        let paths = Self.paths(7)
        Self.filled(endpoint.inner, paths)
        endpoint.inner.fail("d/f1.bin", with: FerryError(.protocolViolation, "refused", disposition: .skipItem))
        endpoint.inner.fail("d/f4.bin", with: FerryError(.serviceBusy, "slow down", disposition: .retry), times: 1)
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: endpoint, concurrency: 1, retryPolicy: Self.quickRetries)
            .remove(paths, onResult: results.record)
        #expect(summary.removed == 6 && summary.failed == 1)
        #expect(results.failed.keys.sorted() == ["d/f1.bin"])
        // Three batches in order, plus the retry of the one transient failure, alone.
        #expect(endpoint.batches == [Array(paths[0..<3]), Array(paths[3..<6]), ["d/f4.bin"], [paths[6]]])
        #expect(endpoint.inner.store.object("d/f4.bin") == nil && endpoint.inner.store.object("d/f1.bin") != nil)
    }

    @Test func aBatchThatFailsAsAWholeFailsEachOfItsPaths() {
        final class Refusing: BatchDeletingEndpoint, @unchecked Sendable {
            let inner = ScriptedDeleteEndpoint()
            var maximumDeleteBatchCount: Int { 10 }
            var redactedDescription: String { "refusing" }
            var capabilities: EndpointCapabilities { inner.capabilities }
            func list(prefix: String, recursive: Bool) throws -> any ObjectListing { try inner.list(prefix: prefix, recursive: recursive) }
            func stat(_ path: String) throws -> ObjectInfo? { nil }
            func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer, meter: any TransferMeter) throws -> Int { 0 }
            func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter { try inner.makeWriter(for: path, plan: plan) }
            func delete(_ path: String) throws {}
            func deleteBatch(_ paths: [String]) throws -> [FerryError?] {
                throw FerryError(.protocolViolation, "MalformedXML", disposition: .skipItem)
            }
        }
        let results = RemovalResults()
        let summary = ObjectRemover(endpoint: Refusing(), concurrency: 2).remove(["a", "b", "c"], onResult: results.record)
        #expect(summary.failed == 3 && summary.removed == 0)
        #expect(Set(results.failed.keys) == ["a", "b", "c"])
    }
}
