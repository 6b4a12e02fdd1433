
/// The fault a request was chosen for, with what the server needs to act it out.
struct InjectedFault: Sendable, Equatable {
    var kind: FaultRule.Kind
    var retryAfterSeconds: Int?
    var stallSeconds: Double
}

/// Decides which requests get a fault: rules in order, the first that hits wins. Deterministic
/// for a given seed and request order (SplitMix64). Thread-safe: state is behind a `SleepingLock`.
public final class FaultInjector: Sendable {
    private struct RuleState {
        var rule: FaultRule
        var matched = 0
        var hits = 0
    }

    private struct State {
        var seed: UInt64
        var generator: SplitMix64
        var rules: [RuleState]
    }

    private let state: SleepingLock<State>

    public init(rules: [FaultRule], seed: UInt64) {
        state = SleepingLock(State(seed: seed, generator: SplitMix64(seed: seed), rules: rules.map { RuleState(rule: $0) }))
    }

    /// Replaces the rules and reseeds the generator.
    public func replace(rules: [FaultRule], seed: UInt64) {
        state.withLock { $0 = State(seed: seed, generator: SplitMix64(seed: seed), rules: rules.map { RuleState(rule: $0) }) }
    }

    var seed: UInt64 { state.withLock { $0.seed } }

    func clear() {
        state.withLock { $0.rules = [] }
    }

    /// Picks the fault for one request of `operation`, if any.
    func decide(for operation: EmulatorOperation) -> InjectedFault? {
        state.withLock { state in
            for index in state.rules.indices {
                let rule = state.rules[index].rule
                guard rule.applies(to: operation) else { continue }
                state.rules[index].matched += 1
                if state.rules[index].matched <= rule.after { continue }
                if let count = rule.count, state.rules[index].hits >= count { continue }
                if rule.rate < 1 {
                    let roll = Double(state.generator.next() >> 11) / Double(1 << 53)
                    if roll >= rule.rate { continue }
                }
                state.rules[index].hits += 1
                return InjectedFault(kind: rule.kind, retryAfterSeconds: rule.retryAfterSeconds,
                                     stallSeconds: rule.stallSeconds ?? 2)
            }
            return nil
        }
    }

    /// The admin endpoint's JSON view: `{"seed": 1, "rules": [...]}`.
    func json() -> String {
        state.withLock { state in
            let rules = state.rules.map { entry -> String in
                let rule = entry.rule
                let ops = rule.operations.map { set in
                    "[" + EmulatorOperation.allCases.filter(set.contains).map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
                } ?? "null"
                return "{\"kind\":\"\(rule.kind.rawValue)\",\"ops\":\(ops),\"rate\":\(rule.rate),\"after\":\(rule.after),"
                    + "\"count\":\(rule.count.map(String.init) ?? "null"),"
                    + "\"retryAfter\":\(rule.retryAfterSeconds.map(String.init) ?? "null"),"
                    + "\"seconds\":\(rule.stallSeconds.map { "\($0)" } ?? "null"),\"hits\":\(entry.hits),"
                    + "\"rule\":\(JSONText.quote(rule.text))}"
            }
            return "{\"seed\":\(state.seed),\"rules\":[\(rules.joined(separator: ","))]}"
        }
    }
}

/// SplitMix64: a tiny, well-distributed seeded generator (same sequence on every platform).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// JSON string quoting for the admin endpoint's hand-built documents.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
