/// What `ferry sync` adds to a copy: how changes are detected and what happens to destination
/// objects the source no longer has. Recorded in the job (a resume keeps it). Value type.
public struct SyncOptions: Sendable, Hashable, Codable {
    /// `--delete-destination true|false|prompt`.
    public enum Deletion: String, Sendable, Hashable, Codable, CaseIterable {
        case never = "false"
        case always = "true"
        case prompt
    }

    /// `--max-delete N` or `N%` (of the destination's objects under the filters).
    public enum DeleteLimit: Sendable, Hashable, Codable {
        case count(Int)
        case percent(Double)

        /// Parses `250` or `5%`; nil when the text is neither.
        public init?(_ text: String) {
            if text.hasSuffix("%") {
                guard let value = Double(text.dropLast()), value >= 0, value <= 100 else { return nil }
                self = .percent(value)
            } else {
                guard let value = Int(text), value >= 0 else { return nil }
                self = .count(value)
            }
        }

        /// The most objects that may go, of `destinationCount`.
        public func allowed(destinationCount: Int) -> Int {
            switch self {
            case .count(let count): return count
            case .percent(let percent): return Int((Double(destinationCount) * percent / 100).rounded(.down))
            }
        }

        public var description: String {
            switch self {
            case .count(let count): return String(count)
            case .percent(let percent): return "\(percent.formatted())%"
            }
        }
    }

    public var deletion: Deletion = .never
    public var maximumDeletes: DeleteLimit?
    /// `--compare-hash`: decide by content (CRC-64 / MD5), not by size and time.
    public var comparesHash = false

    public init(deletion: Deletion = .never, maximumDeletes: DeleteLimit? = nil, comparesHash: Bool = false) {
        self.deletion = deletion
        self.maximumDeletes = maximumDeletes
        self.comparesHash = comparesHash
    }
}

private extension Double {
    func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}
