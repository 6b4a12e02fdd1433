import Foundation

/// A compact JWS (`header.claims.signature`) taken apart, not yet trusted: the verifier decides.
/// Claims are kept as JSON values; readers below pick the ones the issuer and service check.
/// Immutable value.
struct JSONWebToken {
    let header: [String: Any]
    let claims: [String: Any]
    /// `header.claims` as sent: what the signature covers.
    let signingInput: Data
    let signature: Data

    /// nil unless the text is three base64url parts of which the first two are JSON objects.
    init?(compact text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any] else { return nil }
        self.header = header
        self.claims = claims
        self.signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    func string(_ name: String) -> String? { claims[name] as? String }
    func headerString(_ name: String) -> String? { header[name] as? String }

    /// A NumericDate; MSAL's PyJWT may send floats (ENTRA-RBAC.md §1.4), so any JSON number counts.
    func time(_ name: String) -> Date? {
        (claims[name] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
    }

    /// `aud` as a list: a JWT may carry one string or an array.
    var audiences: [String] {
        if let one = claims["aud"] as? String { return [one] }
        return (claims["aud"] as? [Any])?.compactMap { $0 as? String } ?? []
    }

    var algorithm: JWSAlgorithm? { headerString("alg").flatMap(JWSAlgorithm.init(rawValue:)) }

    /// Signs `claims` with `key` as RS256 (`typ` JWT, `kid` the key's). Keys are sorted so the
    /// text is stable for a given input.
    static func sign(claims: [String: Any], key: RSASigningKey, extraHeader: [String: String] = [:]) throws -> String {
        var header: [String: Any] = ["alg": "RS256", "typ": "JWT", "kid": key.keyID]
        for (name, value) in extraHeader { header[name] = value }
        let headerText = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let claimsText = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes]))
        let input = "\(headerText).\(claimsText)"
        return "\(input).\(Base64URL.encode(try key.signRS256(Data(input.utf8))))"
    }
}
