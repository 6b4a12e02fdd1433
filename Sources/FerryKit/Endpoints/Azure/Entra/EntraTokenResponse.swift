import Foundation

/// Reads what a token issuer answers: a token with `expires_in` (seconds, number or string, as
/// Entra and IMDS send it) or `expires_on` (epoch seconds, as App Service sends it), or an error
/// `{"error","error_description","error_codes"}` turned into one line a user can act on.
/// Pure; safe from any thread.
enum EntraTokenResponse {
    /// The token in a successful JSON answer received at `now`; nil if it holds no usable token.
    static func token(from body: Data, now: Date) -> AccessToken? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let value = object["access_token"] as? String, !value.isEmpty else { return nil }
        if let seconds = number(object["expires_in"]) {
            return AccessToken(value: value, expiresOn: now.addingTimeInterval(seconds), obtainedOn: now)
        }
        if let epoch = number(object["expires_on"]) {
            return AccessToken(value: value, expiresOn: Date(timeIntervalSince1970: epoch), obtainedOn: now)
        }
        return nil
    }

    /// A JSON number or a numeric string (`"3599"`).
    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// The error for a refusal with `status` and `body` while `signingIn` (a credential description).
    /// `fallbackAdvice` is what to check when the answer carries no AADSTS code (a managed-identity endpoint).
    static func refusal(status: Int, body: Data, signingIn credential: String, fallbackAdvice: String? = nil) -> FerryError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let code = object?["error"] as? String
        let description = (object?["error_description"] as? String).map(firstLine)
        let aadsts = description.flatMap(aadstsNumber) ?? (object?["error_codes"] as? [NSNumber])?.first?.intValue
        let summary = Redaction.text(description ?? code ?? "HTTP \(status)")
        let busy = status == 429 || status >= 500
        let advice: String
        if busy {
            advice = "the issuer is unavailable; it will be retried"
        } else if aadsts == nil, let fallbackAdvice {
            advice = fallbackAdvice
        } else {
            advice = Self.advice(aadsts: aadsts, error: code)
        }
        return FerryError(busy ? .serviceBusy : .authenticationFailed,
                          "signing in to Microsoft Entra ID with \(credential) failed (HTTP \(status)): \(summary); \(advice)",
                          disposition: busy ? .retry : .abortJob, cause: Redaction.text("HTTP \(status) \(code ?? "")"))
    }

    /// What to check for the common AADSTS codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
    static func advice(aadsts: Int?, error: String?) -> String {
        switch aadsts {
        case 7000215: return "check AZURE_CLIENT_SECRET (the secret's value, not its ID)"
        case 7000222: return "the client secret has expired: create a new one and set AZURE_CLIENT_SECRET"
        case 700016: return "check AZURE_CLIENT_ID and AZURE_TENANT_ID: no such application in that tenant"
        case 90002, 90023, 900023: return "check AZURE_TENANT_ID: no such tenant"
        case 700024: return "the client assertion is outside its valid time range: check this machine's clock"
        case 700027: return "check AZURE_CLIENT_CERTIFICATE_PATH: that certificate is not registered for the application"
        case 70021, 700211, 700212, 700213:
            return "check AZURE_FEDERATED_TOKEN_FILE: no federated credential of the application matches its issuer, subject and audience"
        case 700238, 700229: return "check the federated token's issuer and audience"
        default:
            if error == "invalid_client" { return "check AZURE_CLIENT_ID and the secret, certificate or federated token" }
            if error == "unauthorized_client" { return "check AZURE_CLIENT_ID and AZURE_TENANT_ID" }
            return "check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential"
        }
    }

    /// `AADSTS7000215: Invalid client secret …` → 7000215.
    static func aadstsNumber(_ text: String) -> Int? {
        guard let range = text.range(of: "AADSTS") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// Entra descriptions carry trace and correlation IDs on further lines (or after the first
    /// sentence, as some issuers write them): keep the first line, up to ` Trace ID:`.
    static func firstLine(_ text: String) -> String {
        var line = text.split(whereSeparator: { $0.isNewline }).first.map(String.init) ?? ""
        if let trace = line.range(of: " Trace ID:") { line = String(line[..<trace.lowerBound]) }
        return line.trimmingCharacters(in: .whitespaces)
    }
}
