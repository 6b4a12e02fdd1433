/// Where a request goes: the operation and the resource it names. Value type; safe from any thread.
struct Route: Sendable, Equatable {
    var operation: EmulatorOperation
    var account: String
    var container: String?
    /// The decoded blob name.
    var blob: String?
    /// Query parameters, names lower-cased, values percent-decoded (first value wins).
    var query: [String: String]
}
