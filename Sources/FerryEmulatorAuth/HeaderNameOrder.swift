/// The orders in which a client may have sorted the canonicalized `x-ms-*` headers
/// (PROTOCOLS.md A3 step 3). The service documents an ordinal sort; azure-storage-blob 12.31
/// instead mimics the service's culture collation, which differs for names such as
/// `x-ms-meta-a_b` / `x-ms-meta-a1`. The verifier tries `.ordinal` first, then `.serviceCollation`.
/// Stateless; safe anywhere.
enum HeaderNameOrder: CaseIterable, Sendable {
    case ordinal
    case serviceCollation

    func sorted(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        switch self {
        case .ordinal: headers.sorted { ordinalLess($0.name, $1.name) }
        case .serviceCollation: headers.sorted { Self.collationLess($0.name, $1.name) }
        }
    }

    // MARK: The service-like collation
    //
    // Two levels. First, names compare by the primary weights of their characters, skipping
    // characters that have none (`-`, `'`, and the other separators); letters compare without
    // case. Only when those sequences are equal does the second level look at where `'` and `-`
    // sit, walking both names position by position.

    /// Characters with a primary weight, lowest first. Note `_` and `.` sort before digits and `+`
    /// after the other symbols: this is where the collation departs from ASCII.
    private static let primaryOrder = Array("!#$%&*.^_`|~+0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    private static let primaryWeights: [UInt8: Int] = {
        var weights: [UInt8: Int] = [:]
        for (rank, char) in primaryOrder.enumerated() {
            weights[char] = rank + 1
            if char >= UInt8(ascii: "a"), char <= UInt8(ascii: "z") { weights[char - 32] = rank + 1 }  // upper case
        }
        return weights
    }()

    static func collationLess(_ lhs: String, _ rhs: String) -> Bool {
        let lhsPrimary = lhs.utf8.compactMap { primaryWeights[$0] }
        let rhsPrimary = rhs.utf8.compactMap { primaryWeights[$0] }
        if lhsPrimary != rhsPrimary { return lhsPrimary.lexicographicallyPrecedes(rhsPrimary) }
        return secondaryLess(Array(lhs.utf8), Array(rhs.utf8))
    }

    /// Second level, in lockstep: at the first position where the names differ in kind, an
    /// ordinary character sorts before `'` or `-`, the end of a name before either, and `'` before `-`.
    private static func secondaryLess(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        func weight(_ name: [UInt8], _ index: Int) -> Int {
            guard index < name.count else { return 1 }    // end of name
            switch name[index] {
            case UInt8(ascii: "'"): return 3
            case UInt8(ascii: "-"): return 4
            default: return 0                           // ordinary character
            }
        }
        var index = 0
        while true {
            let left = weight(lhs, index), right = weight(rhs, index)
            if left == 1 && right == 1 { return false }   // equal
            if left != right {
                if left == 0 { return true }
                if right == 0 { return false }
                return left < right
            }
            index += 1
        }
    }
}
