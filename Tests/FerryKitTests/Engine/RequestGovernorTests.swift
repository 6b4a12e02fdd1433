import Foundation
import Testing
@testable import FerryKit

/// A clock the test moves by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 1000.0
    var now: Double { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
}

@Suite struct RequestGovernorTests {
    private func overloaded() -> FerryError {
        var error = FerryError(.serviceBusy, "503 ServerBusy", disposition: .retry)
        error.signalsOverload = true
        return error
    }

    /// Accepted answers, one at a time, `count` times (a second apart unless told otherwise).
    private func accept(_ governor: RequestGovernor, _ clock: ManualClock, count: Int, spacing: Double = 1) throws {
        for _ in 0..<count {
            clock.advance(spacing)
            let ticket = try #require(governor.admit(cancellation: CancellationFlag()))
            governor.finish(ticket, .accepted)
        }
    }

    @Test func slowStartReachesTheCeilingWithinAFewRoundsOfAnswers() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 20, clock: { clock.now })
        #expect(governor.state.concurrency == RequestGovernor.firstConcurrency)
        // A quarter slot per answer: ×1.25 per round of answers, 72 answers from 2 to 20.
        try accept(governor, clock, count: 71, spacing: 0.001)
        #expect(governor.state.concurrency == 19)
        try accept(governor, clock, count: 10, spacing: 0.001)
        #expect(governor.state.concurrency == 20)
        #expect(governor.state.pace == nil)
    }

    @Test func refusalCutsConcurrencyOncePerRoundAndAnswersGrowItBack() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 20, clock: { clock.now })
        let flag = CancellationFlag()
        try accept(governor, clock, count: 80, spacing: 0.001)
        #expect(governor.state.concurrency == 20)
        // Twenty requests fill every slot; all are refused.
        let tickets = (0..<20).compactMap { _ in governor.admit(cancellation: flag) }
        #expect(tickets.count == 20)
        clock.advance(0.01)
        for ticket in tickets { governor.finish(ticket, .overloaded) }
        // One cut for the round, not twenty: 20 × 0.7 = 14.
        #expect(governor.state.concurrency == 14)
        #expect(governor.state.refusals == 20)
        // Requests sent right after the cut and refused are the account still draining: no cut
        // within a second of the last one.
        clock.advance(0.01)
        let soon = (0..<14).compactMap { _ in governor.admit(cancellation: CancellationFlag()) }
        clock.advance(0.01)
        for ticket in soon { governor.finish(ticket, .overloaded) }
        #expect(governor.state.concurrency == 14)
        // A second later, the slots filled again and refused: a second cut.
        clock.advance(1)
        let later = (0..<14).compactMap { _ in governor.admit(cancellation: CancellationFlag()) }
        clock.advance(0.01)
        for ticket in later { governor.finish(ticket, .overloaded) }
        #expect(governor.state.concurrency == 9)
        #expect(governor.state.slowdowns == 2)
        // Accepted answers add about one per round, up to the ceiling and no further.
        try accept(governor, clock, count: 2000)
        #expect(governor.state.concurrency == 20)
        // Unrelated failures (a reset, a checksum mismatch) change nothing.
        let other = try #require(governor.admit(cancellation: flag))
        governor.finish(other, .unrelated)
        #expect(governor.state.concurrency == 20)
        #expect(governor.state.refusals == 48)
    }

    @Test func refusalsWhileThePaceHoldsRequestsBackCutThePaceNotTheSlots() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 8, clock: { clock.now })
        try accept(governor, clock, count: 30, spacing: 0.001)
        #expect(governor.state.concurrency == 8)
        // One request at a time, refused twice in a row: rate, not parallelism.
        for _ in 0..<2 {
            clock.advance(0.01)
            let ticket = try #require(governor.admit(cancellation: CancellationFlag()))
            governor.finish(ticket, .overloaded)
        }
        #expect(governor.state.concurrency == 8)
        #expect(governor.state.pace != nil)
    }

    @Test func anOccasionalRefusalAmongManyAnswersCutsNothing() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 16, clock: { clock.now })
        let flag = CancellationFlag()
        // 1 refusal in 100 answers, for ten seconds at 100 requests a second.
        for index in 0..<1000 {
            let ticket = try #require(governor.admit(cancellation: flag))
            clock.advance(0.01)
            governor.finish(ticket, index % 100 == 50 ? .overloaded : .accepted)
        }
        #expect(governor.state.concurrency == 16)
        #expect(governor.state.pace == nil)
        #expect(governor.state.refusals == 10)
    }

    @Test func concurrencyNeverFallsBelowOne() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 4, clock: { clock.now })
        for _ in 0..<30 {
            clock.advance(2)
            // Every slot taken, every answer a refusal (two rounds each time: a lone refusal cuts nothing).
            for _ in 0..<2 {
                let tickets = (0..<governor.state.concurrency).compactMap { _ in governor.admit(cancellation: CancellationFlag()) }
                clock.advance(0.001)
                for ticket in tickets { governor.finish(ticket, .overloaded) }
            }
        }
        #expect(governor.state.concurrency == 1)
    }

    @Test func aFirstRefusalPacesBelowTheAcceptedRateASecondLearnsItAndCreepsPastIt() throws {
        let clock = ManualClock()
        let governor = RequestGovernor(ceiling: 8, clock: { clock.now })
        let flag = CancellationFlag()
        #expect(governor.state.pace == nil)
        // 100 requests a second for two seconds, all accepted: no pace.
        for _ in 0..<200 {
            let ticket = try #require(governor.admit(cancellation: flag))
            clock.advance(0.01)
            governor.finish(ticket, .accepted)
        }
        #expect(governor.state.pace == nil)
        let refused = (0..<5).compactMap { _ in governor.admit(cancellation: flag) }
        for ticket in refused { governor.finish(ticket, .overloaded) }
        let pace = try #require(governor.state.pace)
        #expect(pace > 35 && pace < 45, "the first cut: 40 % of ~100 requests a second, got \(pace)")
        // A second of accepted answers later, the pace has grown by about 3 %: no rate is known
        // yet (the first second holds the account's burst), and creeping costs little while the
        // account banks what is not used.
        clock.advance(1)
        let next = try #require(governor.admit(cancellation: flag))
        governor.finish(next, .accepted)
        let grown = try #require(governor.state.pace)
        #expect(grown > pace * 1.025 && grown < pace * 1.035, "\(pace) → \(grown)")
        // A second cut, a second later, knows the rate the service accepted (~33/s here): the
        // pace grows 10 % a second back to 90 % of it, then creeps at 1 % a second.
        for _ in 0..<40 {
            clock.advance(0.03)
            let ticket = try #require(governor.admit(cancellation: flag))
            governor.finish(ticket, .accepted)
        }
        for _ in 0..<2 {
            clock.advance(0.03)
            let ticket = try #require(governor.admit(cancellation: flag))
            governor.finish(ticket, .overloaded)
        }
        #expect(governor.state.slowdowns == 2)
        var near = try #require(governor.state.pace)
        while near < 29 {
            clock.advance(1)
            let ticket = try #require(governor.admit(cancellation: flag))
            governor.finish(ticket, .accepted)
            near = try #require(governor.state.pace)
        }
        clock.advance(1)
        let creeping = try #require(governor.admit(cancellation: flag))
        governor.finish(creeping, .accepted)
        let crept = try #require(governor.state.pace)
        #expect(crept > near * 1.005 && crept < near * 1.015, "\(near) → \(crept)")
    }

    @Test func pacedAdmissionsAreSpacedInRealTime() throws {
        let governor = RequestGovernor(ceiling: 4)
        let flag = CancellationFlag()
        // Teach it a pace: two refusals after ~20 quick admissions in well under a second.
        for _ in 0..<20 {
            let ticket = try #require(governor.admit(cancellation: flag))
            governor.finish(ticket, .accepted)
        }
        for _ in 0..<2 {
            let refused = try #require(governor.admit(cancellation: flag))
            governor.finish(refused, .overloaded)
        }
        let pace = try #require(governor.state.pace)
        let started = ProcessInfo.processInfo.systemUptime
        for _ in 0..<5 {
            let ticket = try #require(governor.admit(cancellation: flag))
            governor.finish(ticket, .accepted)
        }
        let took = ProcessInfo.processInfo.systemUptime - started
        #expect(took >= 4 / pace * 0.9, "5 admissions at \(pace)/s took \(took) s")
    }

    @Test func waitingForASlotEndsWhenTheJobIsCancelled() throws {
        let governor = RequestGovernor(ceiling: 1)
        let flag = CancellationFlag()
        let held = try #require(governor.admit(cancellation: flag))
        flag.cancel()
        #expect(governor.admit(cancellation: flag) == nil)
        governor.finish(held, .accepted)
    }

    @Test func retryPolicyReportsEachAttemptToTheGovernor() throws {
        var policy = RetryPolicy()
        policy.sleep = { _ in }
        let governor = RequestGovernor(ceiling: 10)
        var calls = 0
        let busy = overloaded()
        let value = try policy.run(cancellation: CancellationFlag(), governor: governor) { () throws -> Int in
            calls += 1
            if calls < 3 { throw busy }
            return 5
        }
        #expect(value == 5)
        #expect(governor.state.refusals == 2)
        #expect(governor.state.concurrency < 10)
    }

    @Test func retryPolicyGivesUpWhenTheTimeCapIsSpent() {
        var policy = RetryPolicy()
        policy.sleep = { _ in }
        policy.maximumTotalSeconds = 0
        policy.baseSeconds = 0.001
        var calls = 0
        let busy = overloaded()
        #expect {
            try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
                calls += 1
                throw busy
            }
        } throws: { error in
            guard let failure = error as? FerryError else { return false }
            return failure.disposition == .skipItem && failure.message.contains("gave up after 1 attempts")
        }
        #expect(calls == 1)
    }

    @Test func theLastMessageNoLongerPromisesARetry() {
        var policy = RetryPolicy()
        policy.sleep = { _ in }
        policy.baseSeconds = 0.0001
        var calls = 0
        var busy = overloaded()
        busy.message = "uploading block 3 failed (503 ServerBusy): the service is busy; the request will be retried"
        #expect {
            try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
                calls += 1
                throw busy
            }
        } throws: { error in
            guard let failure = error as? FerryError else { return false }
            return failure.message.hasSuffix("the service is busy (gave up after 8 attempts in 0 s)")
        }
        #expect(calls == policy.maximumOverloadedAttempts)
        calls = 0
        #expect(throws: FerryError.self) {
            try policy.run(cancellation: CancellationFlag()) { () throws -> Int in
                calls += 1
                throw FerryError(.network, "reset; it will be retried", disposition: .retry)
            }
        }
        #expect(calls == policy.maximumAttempts)
    }
}
