import Foundation

/// Who a token names and when it is valid: the few JWT payload claims `ferry login status` and
/// error messages show. Decoded without verifying the signature (only the service can, and it
/// does); none of these values is a secret. Value type; safe to share between threads.
public struct AccessTokenClaims: Sendable, Hashable {
    /// `tid`: the tenant.
    public var tenantID: String?
    /// `appid` (v1 tokens) or `azp` (v2): the client (application) ID.
    public var clientID: String?
    /// `oid`: the principal's object ID, which role assignments name.
    public var objectID: String?
    /// `aud`, `iss`.
    public var audience: String?
    public var issuer: String?
    /// `exp`, `nbf`.
    public var expiresOn: Date?
    public var notBefore: Date?

    /// Decodes the payload (second segment) of a compact JWT; nil if `jwt` is not one.
    public init?(jwt: String) {
        let segments = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let payload = Base64URL.decode(String(segments[1])),
              let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { return nil }
        func string(_ name: String) -> String? { object[name] as? String }
        func date(_ name: String) -> Date? {
            if let number = object[name] as? NSNumber { return Date(timeIntervalSince1970: number.doubleValue) }
            return string(name).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        }
        tenantID = string("tid")
        clientID = string("appid") ?? string("azp")
        objectID = string("oid")
        audience = string("aud") ?? (object["aud"] as? [String])?.first
        issuer = string("iss")
        expiresOn = date("exp")
        notBefore = date("nbf")
    }

    /// "object ID …, client ID …, tenant …" (what is known), for messages.
    public var principalSummary: String {
        let parts = [objectID.map { "object ID \($0)" }, clientID.map { "client ID \($0)" }, tenantID.map { "tenant \($0)" }]
        let known = parts.compactMap { $0 }
        return known.isEmpty ? "an unnamed principal" : known.joined(separator: ", ")
    }
}

/// Base64url without padding (RFC 7515 §2), as JWTs use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
