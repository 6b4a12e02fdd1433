/// Account scalability limits the emulator enforces, parsed from
/// `requests-per-second=N,ingress-mbps=N,egress-mbps=N,retry-after=S` (any subset; the emulator
/// contract for `--account-limits` and `PUT /__ferry/account-limits`). Mb/s are megabits per
/// second (10^6 bits). Pure value type; safe from any thread.
public struct AccountLimits: Sendable, Equatable {
    public var requestsPerSecond: Double?
    public var ingressMbps: Double?
    public var egressMbps: Double?
    /// Whole seconds sent as `Retry-After` on a refusal; nil sends none (as the service usually does).
    public var retryAfterSeconds: Int?

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static let keys = ["requests-per-second", "ingress-mbps", "egress-mbps", "retry-after"]

    public init(requestsPerSecond: Double? = nil, ingressMbps: Double? = nil, egressMbps: Double? = nil,
                retryAfterSeconds: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.ingressMbps = ingressMbps
        self.egressMbps = egressMbps
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// True when no limit is set (`retry-after` alone limits nothing).
    public var isEmpty: Bool { requestsPerSecond == nil && ingressMbps == nil && egressMbps == nil }

    /// Bytes per second for a megabit-per-second figure: 10^6 bits / 8.
    static func bytesPerSecond(megabits: Double) -> Double { megabits * 1_000_000 / 8 }

    /// Parses `key=value[,key=value…]`; an empty text is "no limits". A key given twice is an
    /// error rather than last-wins, so a typo in a long benchmark command line cannot hide.
    public static func parse(_ text: String) throws(ParseError) -> AccountLimits {
        var limits = AccountLimits()
        var seen = Set<Substring>()
        for pair in text.split(separator: ",", omittingEmptySubsequences: true) {
            let item = pair.trimmingCharacters(in: " ")
            if item.isEmpty { continue }
            guard let equals = item.firstIndex(of: "=") else {
                throw ParseError(description: "account limit '\(item)' is not key=value (keys: \(keys.joined(separator: ", ")))")
            }
            let key = item[..<equals].trimmingCharacters(in: " ")
            let value = String(item[item.index(after: equals)...].trimmingCharacters(in: " "))
            guard seen.insert(key).inserted else { throw ParseError(description: "account limit '\(key)' is given twice") }
            func rate() throws(ParseError) -> Double {
                // Double("nan"), Double("inf") and hex forms parse; refuse everything but a plain positive figure.
                guard let number = Double(value), number.isFinite, number > 0,
                      value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
                    throw ParseError(description: "account limit \(key)='\(value)': expected a number > 0")
                }
                return number
            }
            switch key {
            case "requests-per-second": limits.requestsPerSecond = try rate()
            case "ingress-mbps": limits.ingressMbps = try rate()
            case "egress-mbps": limits.egressMbps = try rate()
            case "retry-after":
                guard let seconds = Int(value), seconds >= 0 else {
                    throw ParseError(description: "account limit retry-after='\(value)': expected whole seconds ≥ 0")
                }
                limits.retryAfterSeconds = seconds
            default:
                throw ParseError(description: "unknown account limit '\(key)' (expected \(keys.joined(separator: ", ")))")
            }
        }
        return limits
    }

    /// The canonical `key=value,…` text (what `parse` reads back to the same value).
    public var text: String {
        var parts: [String] = []
        if let requestsPerSecond { parts.append("requests-per-second=\(Self.figure(requestsPerSecond))") }
        if let ingressMbps { parts.append("ingress-mbps=\(Self.figure(ingressMbps))") }
        if let egressMbps { parts.append("egress-mbps=\(Self.figure(egressMbps))") }
        if let retryAfterSeconds { parts.append("retry-after=\(retryAfterSeconds)") }
        return parts.joined(separator: ",")
    }

    /// `20` rather than `20.0` for whole figures.
    static func figure(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

private extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var result = self
        while result.first == character { result = result.dropFirst() }
        while result.last == character { result = result.dropLast() }
        return result
    }
}
