/// The signed fields of a SAS query token, percent-decoded exactly as sent (PROTOCOLS.md A3).
/// Absent fields are "". Parsing only checks what must be present and what the emulator cannot
/// honour; the signature and the grants are checked by `SASVerifier`. Immutable value; Sendable.
struct SASToken: Sendable {
    enum Kind: Sendable { case account, service }

    /// The first versions whose string-to-sign layouts the verifier knows.
    static let oldestVersion = "2015-04-05"
    static let snapshotFieldsVersion = "2018-11-09"   // service SAS gains `sr` and snapshot time
    static let encryptionScopeVersion = "2020-12-06"  // both layouts gain `ses`

    let kind: Kind
    let version: String          // sv
    let services: String         // ss (account)
    let resourceTypes: String    // srt (account)
    let resource: String         // sr (service): b or c
    let permissions: String      // sp, never re-ordered
    let start: String            // st
    let expiry: String           // se
    let ipRange: String          // sip
    let protocols: String        // spr
    let encryptionScope: String  // ses
    /// rscc, rscd, rsce, rscl, rsct: response header overrides, signed in this order.
    let responseOverrides: [String]
    /// The request's `snapshot` parameter: the service SAS "signed snapshot time" field.
    let snapshot: String
    let signature: String

    /// A failure names the first missing field or the first thing the emulator cannot honour.
    static func parse(_ query: QueryParameters) -> Result<SASToken, AuthRejection> {
        func field(_ name: String) -> String { query[name] ?? "" }
        let version = field("sv")
        guard !version.isEmpty else { return .failure(.authenticationFailed("sv is mandatory. Cannot be empty")) }
        guard isServiceVersion(version) else {
            return .failure(.authenticationFailed("The signed version sv='\(version)' is not a YYYY-MM-DD service version."))
        }
        guard version >= oldestVersion else {
            return .failure(.authenticationFailed(
                "SAS version sv='\(version)' is older than \(oldestVersion), the oldest ferry-emulator supports."))
        }
        if !field("skoid").isEmpty || !field("sktid").isEmpty {
            return .failure(.authenticationFailed(
                "User delegation SAS is not supported by ferry-emulator; sign the SAS with the account key."))
        }
        if !field("si").isEmpty {
            return .failure(.authenticationFailed(
                "Stored access policies (si) are not supported by ferry-emulator; put sp, st and se in the SAS itself."))
        }
        let kind: Kind
        if !field("sr").isEmpty {
            guard ["b", "c"].contains(field("sr")) else {
                return .failure(.authenticationFailed(
                    "Signed resource sr='\(field("sr"))' is not supported by ferry-emulator (only b and c)."))
            }
            kind = .service
        } else if !field("ss").isEmpty || !field("srt").isEmpty {
            guard !field("ss").isEmpty else { return .failure(.authenticationFailed("ss is mandatory. Cannot be empty")) }
            guard !field("srt").isEmpty else { return .failure(.authenticationFailed("srt is mandatory. Cannot be empty")) }
            kind = .account
        } else {
            return .failure(.authenticationFailed(
                "The SAS has neither a signed resource (sr) nor signed services and resource types (ss, srt)."))
        }
        guard !field("sp").isEmpty else { return .failure(.authenticationFailed("sp is mandatory. Cannot be empty")) }
        guard !field("se").isEmpty else { return .failure(.authenticationFailed("se is mandatory. Cannot be empty")) }
        return .success(SASToken(
            kind: kind, version: version, services: field("ss"), resourceTypes: field("srt"), resource: field("sr"),
            permissions: field("sp"), start: field("st"), expiry: field("se"), ipRange: field("sip"),
            protocols: field("spr"), encryptionScope: field("ses"),
            responseOverrides: ["rscc", "rscd", "rsce", "rscl", "rsct"].map(field),
            snapshot: field("snapshot"), signature: field("sig")))
    }

    private static func isServiceVersion(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        return chars.count == 10 && chars.enumerated().allSatisfy { index, char in
            index == 4 || index == 7 ? char == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(char)
        }
    }
}
