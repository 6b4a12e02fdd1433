import Foundation
import Testing
@testable import FerryKit

@Suite struct StateMachineTests {
    @Test func blocksGoOutInOrderAndCommitOnceWhenAllAcknowledged() {
        var state = FileBlocksState(blockCount: 3, done: [:], rereadDone: false)
        #expect(state.start() == .none)
        #expect(state.handOut() == 0)
        #expect(state.handOut() == 1)
        #expect(state.acknowledged(1, crc64: 11) == .none)
        #expect(state.handOut() == 2)
        #expect(state.handOut() == nil)
        #expect(state.acknowledged(2, crc64: 12) == .none)
        #expect(state.acknowledged(0, crc64: 10) == .commit)
        #expect(state.crcs == [10, 11, 12])
    }

    @Test func resumedFileSendsOnlyMissingBlocks() {
        var state = FileBlocksState(blockCount: 4, done: [0: 1, 1: 2], rereadDone: false)
        #expect(state.handOut() == 2)
        #expect(state.handOut() == 3)
        #expect(state.handOut() == nil)
        #expect(state.acknowledged(3, crc64: 4) == .none)
        #expect(state.acknowledged(2, crc64: 3) == .commit)
    }

    @Test func fullyAcknowledgedFileCommitsAtStart() {
        var state = FileBlocksState(blockCount: 2, done: [0: 1, 1: 2], rereadDone: false)
        #expect(state.start() == .commit)
        #expect(state.handOut() == nil)
    }

    @Test func md5RereadHandsOutEveryBlock() {
        var state = FileBlocksState(blockCount: 2, done: [0: 1], rereadDone: true)
        #expect(state.start() == .none)
        #expect(state.handOut() == 0)
        #expect(state.handOut() == 1)
        #expect(state.previouslyDone == [0])
    }

    @Test func failureStopsHandOutAndAbortsOnlyAfterInFlightBlocksReturn() {
        var state = FileBlocksState(blockCount: 5, done: [:], rereadDone: false)
        _ = state.handOut()
        _ = state.handOut()
        #expect(state.failed(0, code: .checksumMismatch) == .none)  // block 1 still in flight
        #expect(state.handOut() == nil)
        #expect(state.acknowledged(1, crc64: 9) == .abort(.checksumMismatch))
        #expect(state.acknowledged(1, crc64: 9) == .none || state.finished)
    }

    @Test func returnedBlocksLeaveTheFileUnfinished() {
        var state = FileBlocksState(blockCount: 2, done: [:], rereadDone: false)
        _ = state.handOut()
        _ = state.handOut()
        #expect(state.acknowledged(0, crc64: 1) == .none)
        #expect(state.returned(1) == .none)
        #expect(!state.finished)
    }

    @Test func retryPolicyRetriesTransientErrorsThenGivesUpAsSkip() throws {
        var policy = RetryPolicy()
        let sleeps = SleepLog()
        policy.sleep = { sleeps.add($0) }
        var calls = 0
        let value = try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
            calls += 1
            if calls < 3 { throw FerryError(.serviceBusy, "busy", disposition: .retry, retryAfterSeconds: 2) }
            return 7
        }
        #expect(value == 7)
        #expect(sleeps.values.count == 2)
        #expect(sleeps.values.allSatisfy { $0 >= 2 })  // Retry-After honoured
        calls = 0
        #expect(throws: FerryError.self) {
            try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
                calls += 1
                throw FerryError(.network, "reset", disposition: .retry)
            }
        }
        #expect(calls == policy.maximumAttempts)
        calls = 0
        #expect(throws: FerryError.self) {
            try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
                calls += 1
                throw FerryError(.authenticationFailed, "no", disposition: .abortJob)
            }
        }
        #expect(calls == 1)
    }

    @Test func backoffIsJitteredExponentialAndCapped() {
        let policy = RetryPolicy()
        #expect(policy.delaySeconds(afterAttempt: 0, retryAfterSeconds: nil, random: 1) == 0.5)
        #expect(policy.delaySeconds(afterAttempt: 3, retryAfterSeconds: nil, random: 1) == 4)
        #expect(policy.delaySeconds(afterAttempt: 20, retryAfterSeconds: nil, random: 1) == 30)
        #expect(policy.delaySeconds(afterAttempt: 3, retryAfterSeconds: nil, random: 0) == 0)
        #expect(policy.delaySeconds(afterAttempt: 0, retryAfterSeconds: 5, random: 0.5) == 5)
    }

    @Test func tokenBucketMakesCallersWait() {
        let meter = TokenBucketMeter(megabitsPerSecond: 8, burstSeconds: 0)  // 1,000,000 bytes/s
        let started = Date()
        for _ in 0..<4 { meter.account(100_000) }
        #expect(Date().timeIntervalSince(started) >= 0.35)
        #expect(meter.totalBytes == 400_000)
    }

    @Test func cancellationEndsAThrottledWait() {
        let cancellation = CancellationFlag()
        let meter = TokenBucketMeter(megabitsPerSecond: 8, burstSeconds: 0, cancellation: cancellation)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { cancellation.cancel() }
        let started = Date()
        meter.account(20_000_000)  // 20 s of budget at 1,000,000 bytes/s
        #expect(Date().timeIntervalSince(started) < 10, "a cancelled job must not wait out its cap")
        #expect(meter.totalBytes == 20_000_000)
    }
}

/// Records sleeps a retry policy asked for. Lock-guarded, hence `@unchecked Sendable`.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    func add(_ seconds: Double) { lock.lock(); recorded.append(seconds); lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return recorded }
}
