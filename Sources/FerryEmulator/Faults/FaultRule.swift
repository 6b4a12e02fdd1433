/// One fault-injection rule, parsed from `KIND[:key=value[,key=value…]]` (the emulator contract).
/// Pure value type; safe from any thread.
public struct FaultRule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case busy, timeout, drop, stall, corrupt
        case corruptRequest = "corrupt-request"
    }

    public var kind: Kind
    /// Operations the rule applies to; nil = every data and metadata operation the kind can affect.
    public var operations: Set<EmulatorOperation>?
    public var rate: Double = 1
    public var after: Int = 0
    public var count: Int?
    public var retryAfterSeconds: Int?
    public var stallSeconds: Double?
    /// The text the rule was parsed from (echoed by the admin endpoint).
    public var text: String

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> FaultRule {
        let kindText: Substring
        var optionsText: Substring = ""
        if let colon = text.firstIndex(of: ":") {
            kindText = text[..<colon]
            optionsText = text[text.index(after: colon)...]
        } else {
            kindText = Substring(text)
        }
        guard let kind = Kind(rawValue: String(kindText)) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ParseError(description: "unknown fault kind '\(kindText)' in '\(text)' (expected one of: \(known))")
        }
        var rule = FaultRule(kind: kind, text: text)
        for option in optionsText.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = option.firstIndex(of: "=") else {
                throw ParseError(description: "fault option '\(option)' in '\(text)' is not key=value")
            }
            let key = option[..<equals]
            let value = String(option[option.index(after: equals)...])
            func bad(_ expected: String) -> ParseError {
                ParseError(description: "fault option \(key)='\(value)' in '\(text)': expected \(expected)")
            }
            switch key {
            case "ops":
                var operations = Set<EmulatorOperation>()
                for name in value.split(separator: "+") {
                    guard let operation = EmulatorOperation(rawValue: String(name)) else {
                        throw bad("operation names joined by + (e.g. PutBlock+GetBlob)")
                    }
                    operations.insert(operation)
                }
                guard !operations.isEmpty else { throw bad("at least one operation name") }
                rule.operations = operations
            case "rate":
                guard let rate = Double(value), rate >= 0, rate <= 1 else { throw bad("a fraction between 0 and 1") }
                rule.rate = rate
            case "after":
                guard let after = Int(value), after >= 0 else { throw bad("a whole number ≥ 0") }
                rule.after = after
            case "count":
                guard let count = Int(value), count >= 0 else { throw bad("a whole number ≥ 0") }
                rule.count = count
            case "retry-after":
                guard let seconds = Int(value), seconds >= 0 else { throw bad("whole seconds ≥ 0") }
                rule.retryAfterSeconds = seconds
            case "seconds":
                guard let seconds = Double(value), seconds >= 0, seconds.isFinite else { throw bad("seconds ≥ 0") }
                rule.stallSeconds = seconds
            default:
                throw ParseError(description: "unknown fault option '\(key)' in '\(text)' (expected ops, rate, after, count, retry-after, seconds)")
            }
        }
        return rule
    }

    init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// Whether the rule can hit `operation`: explicit `ops`, else what the kind makes sense for.
    func applies(to operation: EmulatorOperation) -> Bool {
        if let operations { return operations.contains(operation) }
        switch kind {
        case .corrupt: return operation == .getBlob
        case .corruptRequest: return operation == .putBlock || operation == .putBlob
        case .busy, .timeout, .drop, .stall: return true
        }
    }
}
