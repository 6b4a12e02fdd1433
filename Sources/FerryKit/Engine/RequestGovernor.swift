import Foundation

/// What one request's answer says about the service's load.
enum RequestOutcome: Sendable {
    /// The service did the work.
    case accepted
    /// The service refused for load or ran out of time: 503 ServerBusy/SlowDown, 429, a timeout.
    case overloaded
    /// Anything else (a checksum mismatch, a reset connection, a 404): says nothing about load.
    case unrelated
}

/// What a governor is doing: requests allowed in flight, the pace (requests/s, nil: none),
/// refusals seen and how many times it slowed down for them.
struct GovernorState: Sendable, Equatable {
    var concurrency: Int
    var pace: Double?
    var refusals: Int
    var slowdowns: Int
}

/// A request admitted by `RequestGovernor.admit`, handed back to `finish`.
struct AdmissionTicket: Sendable {
    /// When it was admitted; a refusal of a request sent before the last cut was already answered
    /// by that cut (one cut per round of refusals, as TCP halves once per window).
    let admittedAt: Double
}

/// Keeps the requests to one service (a job's source or its destination) within what that service
/// accepts, learning the limit from its refusals: additive increase, multiplicative decrease, on
/// two knobs at once.
///
/// - **Concurrency**, requests in flight: climbs from 2 to the configured ceiling
///   (`--concurrency`) by a quarter request per accepted answer (slow start, ×1.25 per round
///   trip, until the first cut), loses 30 % on a cut if every slot was taken, gains about one per round
///   of answers after it, never leaves 1…ceiling. Timeouts and bandwidth limits respond to it.
/// - **Pace**, requests per second: unlimited until the first cut, then 40 % of what the service
///   accepted in the last second, later cuts 80 % of it (never below half the pace). It grows
///   3 % a second while no rate is known (after the first cut), else 10 % a second up to 90 %
///   of the rate accepted before the last cut, then 1 % a second for 30 s (faster after),
///   and is dropped once far above what is being sent. A request-rate limit needs it: against a
///   fast service one request in flight can already exceed 200 requests a second, so concurrency
///   alone never gets under it.
///
/// A cut needs a round of refusals (two within about a second, at least 2 % of the answers, from requests sent
/// after the last cut, a second or more after it): an occasional refusal slows nothing, and
/// refusals of requests that were already on their way are answered by the cut that came first.
/// Creeping past the last accepted rate keeps the next refusal far off: most of the allowed rate
/// at a few % refused.
///
/// Thread-safe: state is guarded by `condition` (hence `@unchecked Sendable`).
final class RequestGovernor: @unchecked Sendable {
    let ceiling: Int
    private let condition = NSCondition()
    private let clock: @Sendable () -> Double
    private var limit: Double
    private var inFlight = 0
    private var pace: Double?
    private var nextSendAt = 0.0
    private var paceUpdatedAt = 0.0
    private var lastCutAt = -Double.infinity
    private var inSlowStart = true
    private var slotsFilledSinceCut = false
    /// What the service accepted in the second before the last cut: about its rate limit.
    private var knownLimit: Double?
    private var refusals = 0
    private var slowdowns = 0
    private var admissionRate = AdmissionRate()
    private var answers = RecentAnswers()
    /// Told the new concurrency and refusal count whenever either changes (progress output).
    private let changed: @Sendable (GovernorState) -> Void

    /// Requests in flight before the first answers: a job does not open with a burst of
    /// `--concurrency` large requests into an account that can take a few (each refused one is
    /// sent again). Accepted answers double it each round, so an unthrottled service sees the
    /// full `--concurrency` within a few round trips.
    static let firstConcurrency = 2
    /// Slots gained per accepted answer before the first cut: ×1.25 per round trip. Gentle,
    /// because an account's burst allowance accepts everything at first and the requests in
    /// flight when it runs out are all refused; 2 → 32 still takes only ~13 round trips.
    static let slowStartGrowth = 0.25
    static let concurrencyCut = 0.7
    static let paceCut = 0.8
    static let firstPaceCut = 0.4
    static let paceGrowthPerSecond = 0.10
    /// Growth while no rate is known (after the first cut only: the first second's count holds
    /// the account's burst). Slow on purpose: while the pace is under the account's rate its
    /// bucket refills and banks the unused allowance (about a second's worth), so creeping up
    /// costs almost nothing, while climbing fast overshoots the rate by the time the banked
    /// allowance runs out, and the round of refusals that follows is several requests deep.
    static let unknownLimitGrowthPerSecond = 0.03
    static let slowPaceGrowthPerSecond = 0.01
    static let nearKnownLimit = 0.9
    static let secondsToTrustKnownLimit = 30.0
    static let deepestPaceCut = 0.5
    /// Refusals that do not depend on load (a sick front end, a fault injector) would cut round
    /// after round; below this pace the job would crawl for nothing, and each refused request
    /// still backs off on its own.
    static let slowestPace = 4.0
    /// A service that refuses now and then (1 in 100) is not asking for less; one that refuses this
    /// share of the last second's answers is. Without it a small steady error rate would cut and
    /// cut until Ferry crawls.
    static let refusedShareToCut = 0.02
    /// Nor does a lone refusal early in a job (1 of the first 40 answers is 2.5 %).
    /// Counted in `RecentAnswers`' fading window: two refusals half a second apart weigh ~1.5.
    /// Waiting for a third lets the round go one refusal deeper.
    static let refusalsToCut = 1.5
    /// A rate limit is judged over about a second: right after a cut the account may still be
    /// empty, and a few requests that arrive bunched are refused although the new pace is below
    /// its rate. Cutting again for those would collapse the pace in a handful of milliseconds.
    static let secondsBetweenCuts = 1.0

    init(ceiling: Int, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
         changed: @escaping @Sendable (GovernorState) -> Void = { _ in }) {
        self.ceiling = max(1, ceiling)
        self.limit = Double(min(self.ceiling, Self.firstConcurrency))
        self.clock = clock
        self.changed = changed
    }

    /// Waits for a free slot and for the pace to allow another request; nil when `cancellation`
    /// was set while waiting (the caller gives up without sending).
    func admit(cancellation: CancellationFlag) -> AdmissionTicket? {
        condition.lock()
        while inFlight >= Int(limit) {
            if cancellation.isCancelled {
                condition.unlock()
                return nil
            }
            condition.wait(until: Date(timeIntervalSinceNow: 0.1))
        }
        inFlight += 1
        if inFlight >= Int(limit) { slotsFilledSinceCut = true }
        let now = clock()
        growPace(now: now)
        var sendAt = now
        if let pace {
            sendAt = max(now, nextSendAt)
            nextSendAt = sendAt + 1 / pace
        }
        admissionRate.count(at: sendAt)
        condition.unlock()
        // Sleep off the pace in slices so a cancelled job does not wait out a slow pace.
        var wait = sendAt - now
        while wait > 0 {
            if cancellation.isCancelled {
                finish(AdmissionTicket(admittedAt: sendAt), .unrelated)
                return nil
            }
            Thread.sleep(forTimeInterval: min(wait, 0.1))
            wait -= 0.1
        }
        return AdmissionTicket(admittedAt: sendAt)
    }

    /// The request admitted with `ticket` has its answer.
    func finish(_ ticket: AdmissionTicket, _ outcome: RequestOutcome) {
        condition.lock()
        inFlight -= 1
        var report: GovernorState?
        switch outcome {
        case .accepted:
            let before = Int(limit)
            // Slow start (one more per answer: doubling each round) until the first cut, then
            // about one more per round.
            limit = min(Double(ceiling), limit + (inSlowStart ? Self.slowStartGrowth : 1 / limit))
            if Int(limit) != before { report = snapshot }
        case .overloaded:
            refusals += 1
            let now = clock()
            answers.count(refused: true, at: now)
            if ticket.admittedAt > lastCutAt, now - lastCutAt >= Self.secondsBetweenCuts,
               answers.refusedLastSecond(at: now) >= Self.refusalsToCut,
               answers.refusedShare(at: now) >= Self.refusedShareToCut {
                cut(now: now)
            }
            report = snapshot
        case .unrelated:
            break
        }
        if outcome == .accepted { answers.count(refused: false, at: clock()) }
        condition.broadcast()
        condition.unlock()
        if let report { changed(report) }
    }

    /// Current concurrency limit and refusals seen (tests, progress).
    var state: GovernorState {
        condition.lock()
        defer { condition.unlock() }
        return snapshot
    }

    /// Callers hold `condition`.
    private var snapshot: GovernorState {
        GovernorState(concurrency: Int(limit), pace: pace, refusals: refusals, slowdowns: slowdowns)
    }

    private func cut(now: Double) {
        lastCutAt = now
        inSlowStart = false
        slowdowns += 1
        defer { answers = RecentAnswers() }  // the next cut judges only answers to the new rate
        // Slots never all taken since the last cut means the pace, not the slots, held requests
        // back: the service is refusing rate, and fewer slots would only cost round trips.
        if slotsFilledSinceCut { limit = max(1, limit * Self.concurrencyCut) }
        slotsFilledSinceCut = false
        // While the service refuses, what it accepted over the last second is its limit, give or
        // take; what was being sent (or the pace) stands in when nothing was accepted. The first
        // cut takes 40 %: an account's first second also holds the burst its limit allows on top
        // of the rate (a bucket of about a second's worth), so it accepts up to twice its rate
        // before the first refusal. Later rounds take 80 %, and never more than half the pace:
        // while retries back off, few answers come back at all.
        let sent = pace ?? admissionRate.perSecond(at: now)
        let accepted = answers.acceptedLastSecond(at: now)
        // The first second's count holds the account's burst as well: no measure of its rate.
        knownLimit = accepted > 0 && pace != nil ? accepted : nil
        let base = accepted > 0 ? min(accepted, sent) : sent
        if let current = pace {
            pace = max(Self.slowestPace, base * Self.paceCut, current * Self.deepestPaceCut)
        } else if base > 0 {
            pace = max(Self.slowestPace, base * Self.firstPaceCut)
        }
        paceUpdatedAt = now
        nextSendAt = max(nextSendAt, now)
    }

    private func growPace(now: Double) {
        guard let current = pace else { return }
        let elapsed = now - paceUpdatedAt
        guard elapsed > 0 else { return }
        paceUpdatedAt = now
        // Quickly back towards the rate the service last accepted, then slowly past it (as TCP
        // CUBIC does): an account's burst allowance refills while the pace creeps up, and the
        // next refusal comes late instead of every few seconds. Long without refusals, the
        // limit may have moved (other clients stopped): probe faster again.
        let nearLimit = knownLimit.map { current >= Self.nearKnownLimit * $0 } ?? false
        let trusted = now - lastCutAt < Self.secondsToTrustKnownLimit
        let growth = nearLimit && trusted ? Self.slowPaceGrowthPerSecond
            : knownLimit == nil && trusted ? Self.unknownLimitGrowthPerSecond : Self.paceGrowthPerSecond
        let grown = current * (1 + growth * min(elapsed, 1))
        // Far above what is actually sent, the pace no longer holds anything back: let it go.
        let sending = admissionRate.perSecond(at: now)
        pace = sending > 0 && grown > 4 * sending && now - lastCutAt > 10 ? nil : grown
    }
}

/// Answers of about the last second, and how many were refusals (two one-second buckets, the
/// older one fading out). Value type.
struct RecentAnswers {
    private var bucketStart = -Double.infinity
    private var current = (answers: 0, refused: 0)
    private var previous = (answers: 0, refused: 0)

    mutating func count(refused: Bool, at time: Double) {
        roll(to: time)
        current.answers += 1
        if refused { current.refused += 1 }
    }

    mutating func refusedShare(at time: Double) -> Double {
        let (answers, refused) = window(at: time)
        return answers > 0 ? refused / answers : 0
    }

    /// Answers accepted within the last second. Early in a job the window is shorter than a
    /// second, but a service that refuses that early holds few more than it accepted so far.
    mutating func acceptedLastSecond(at time: Double) -> Double {
        let (answers, refused) = window(at: time)
        return answers - refused
    }

    mutating func refusedLastSecond(at time: Double) -> Double { window(at: time).refused }

    private mutating func window(at time: Double) -> (answers: Double, refused: Double) {
        roll(to: time)
        let fade = 1 - min(1, max(0, time - bucketStart))
        return (Double(current.answers) + Double(previous.answers) * fade,
                Double(current.refused) + Double(previous.refused) * fade)
    }

    private mutating func roll(to time: Double) {
        if time - bucketStart >= 2 {
            previous = (0, 0)
            current = (0, 0)
            bucketStart = time
        } else if time - bucketStart >= 1 {
            previous = current
            current = (0, 0)
            bucketStart += 1
        }
    }
}

/// Requests admitted per second over the last full second (two one-second buckets). Value type.
struct AdmissionRate {
    private var bucketStart = 0.0
    private var current = 0
    private var previous = 0

    mutating func count(at time: Double) {
        roll(to: time)
        current += 1
    }

    mutating func perSecond(at time: Double) -> Double {
        roll(to: time)
        // Blend the finished second with the running one so a rate is known within a second.
        let fraction = min(1, max(0, time - bucketStart))
        return Double(previous) * (1 - fraction) + Double(current)
    }

    private mutating func roll(to time: Double) {
        if time - bucketStart >= 2 {
            previous = 0
            current = 0
            bucketStart = time
        } else if time - bucketStart >= 1 {
            previous = current
            current = 0
            bucketStart += 1
        }
    }
}
