import Foundation

/// What an issuer endpoint answers: a status and a JSON body, shaped as Entra shapes them, and
/// the token it issued, if any (for the log; the token text is only in `body`). An `Error` so
/// checks can return a refusal as a `Result`'s failure.
public struct EntraAnswer: Error, Sendable {
    public var status: Int
    public var body: String
    public var issued: IssuedToken?

    static func json(_ status: Int, _ object: [String: Any], issued: IssuedToken? = nil) -> EntraAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return EntraAnswer(status: status, body: String(decoding: data, as: UTF8.self), issued: issued)
    }

    /// Entra's error body: `error`, `error_description` starting with the AADSTS code,
    /// `error_codes`, timestamp and ids. MSAL reads `error` and `error_description`.
    /// `invalid_client` is 401; the others 400.
    static func error(_ error: String, code: Int, _ description: String) -> EntraAnswer {
        let now = Date()
        let trace = UUID().uuidString.lowercased()
        return json(error == "invalid_client" ? 401 : 400,
                    ["error": error, "error_description": "AADSTS\(code): \(description) Trace ID: \(trace)",
                     "error_codes": [code], "timestamp": ServiceTime.formatISO8601(now),
                     "trace_id": trace, "correlation_id": UUID().uuidString.lowercased()])
    }
}

/// One access token the issuer handed out, as the log and `/__ferry/issued-tokens` show it:
/// who, how, and until when; never the token.
public struct IssuedToken: Sendable {
    public var displayName: String
    public var clientID: String
    public var objectID: String
    /// client_secret, certificate, federated, managed_identity_app_service, managed_identity_imds.
    public var flow: String
    public var issuedAt: Date
    public var expiresOn: Date

    public var logLine: String {
        "issued a token to \(displayName) (client \(clientID), object \(objectID)) by \(flow), "
            + "expires \(ServiceTime.formatISO8601(expiresOn)) (\(Int(expiresOn.timeIntervalSince(issuedAt))) s)"
    }

    public var json: [String: Any] {
        ["displayName": displayName, "clientId": clientID, "objectId": objectID, "flow": flow,
         "issuedAt": Int(issuedAt.timeIntervalSince1970), "expiresOn": Int(expiresOn.timeIntervalSince1970)]
    }
}

/// An `application/x-www-form-urlencoded` body: `+` is a space, then `%XX` escapes.
struct FormFields {
    private var values: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }

    subscript(_ name: String) -> String? { values[name] }
}
