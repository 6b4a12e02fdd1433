import Foundation

/// The JWT a service principal signs to prove it holds its certificate's key (RFC 7523, as MSAL
/// builds it): header `{"alg":"RS256","typ":"JWT","x5t","x5t#S256"}`, claims `aud` (the token
/// endpoint), `iss` = `sub` = the client ID, a fresh `jti`, `nbf`/`iat` now and `exp` ten minutes
/// on. A secret once signed: never printed. Value type; safe to share between threads.
struct ClientAssertion: Sendable {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    static let lifetimeSeconds = 600

    var clientID: String
    var audience: String
    var issuedAt: Date
    var jwtID = UUID().uuidString.lowercased()

    /// `base64url(header).base64url(claims).base64url(RS256 signature)`.
    func signed(with certificate: ClientCertificate) throws -> String {
        let signingInput = Base64URL.encode(header(for: certificate)) + "." + Base64URL.encode(claims())
        let signature = try certificate.signRS256(Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    func header(for certificate: ClientCertificate) -> Data {
        Self.json([("alg", .text("RS256")), ("typ", .text("JWT")),
                   ("x5t", .text(Base64URL.encode(certificate.sha1Thumbprint))),
                   ("x5t#S256", .text(Base64URL.encode(certificate.sha256Thumbprint)))])
    }

    func claims() -> Data {
        let now = Int(issuedAt.timeIntervalSince1970)
        return Self.json([("aud", .text(audience)), ("iss", .text(clientID)), ("sub", .text(clientID)),
                          ("jti", .text(jwtID)), ("nbf", .number(now)), ("iat", .number(now)),
                          ("exp", .number(now + Self.lifetimeSeconds))])
    }

    enum Value { case text(String), number(Int) }

    /// A JSON object with its members in the given order (JSONSerialization would reorder them,
    /// and escapes `/`, which is legal but not what other clients send).
    static func json(_ members: [(String, Value)]) -> Data {
        let body = members.map { name, value -> String in
            switch value {
            case .text(let text): return "\(quote(name)):\(quote(text))"
            case .number(let number): return "\(quote(name)):\(number)"
            }
        }.joined(separator: ",")
        return Data("{\(body)}".utf8)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
