import FerryEmulatorAuth
import Foundation
import NIOCore
import NIOHTTP1

/// The Entra ID test hooks under `/__ferry/` (only with `--principals`):
/// - `GET|PUT /__ferry/principals`: the directory without secrets; replace it (same JSON as the file).
/// - `POST /__ferry/federated-token` `{"subject": …, "issuer"?: …, "audience"?: …, "lifetimeSeconds"?: 3600}`:
///   a token an external OIDC issuer would give a workload (the issuer defaults to that of the
///   first federated credential with this subject).
/// - `POST /__ferry/access-token` `{"clientId": …, "lifetimeSeconds"?: N, "validFromSeconds"?: ±S}`:
///   an access token for a principal, shaped as `az account get-access-token` prints it (a
///   stand-in `az` only has to fetch this); `validFromSeconds` shifts iat/nbf/exp from now, so a
///   test can hold an expired (negative) or not-yet-valid (positive) token.
/// - `GET /__ferry/issued-tokens`: who got tokens, how, and until when (never the tokens).
/// - `GET /__ferry/federation-keys`: the JWKS of the federated tokens' key.
extension AdminEndpoint {
    func answerEntra(_ method: HTTPMethod, _ resource: Substring, body: ByteBuffer?) -> ServiceResponse? {
        let names: Set<Substring> = ["principals", "federated-token", "access-token", "issued-tokens", "federation-keys"]
        guard names.contains(resource) else { return nil }
        guard let entra else {
            return Self.json(404, "{\"error\":\"ferry-emulator was started without --principals\"}")
        }
        let object = body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) as? [String: Any] } ?? [:]
        switch (method, resource) {
        case (.GET, "principals"):
            return Self.json(200, Self.text(entra.directory.publicJSON))
        case (.PUT, "principals"):
            do {
                let directory = try EntraDirectory.parse(Data((body ?? ByteBuffer()).readableBytesView),
                                                         relativeTo: FileManager.default.currentDirectoryPath)
                entra.replace(directory)
                return Self.json(200, Self.text(directory.publicJSON))
            } catch {
                return Self.json(400, "{\"error\":\(JSONText.quote(error.description))}")
            }
        case (.POST, "federated-token"):
            guard let subject = object["subject"] as? String else {
                return Self.json(400, "{\"error\":\"the body must be a JSON object with subject (and optionally issuer, audience, lifetimeSeconds)\"}")
            }
            let credential = entra.directory.principals.flatMap(\.federatedCredentials).first { $0.subject == subject }
            guard let issuer = object["issuer"] as? String ?? credential?.issuer else {
                return Self.json(400, "{\"error\":\"no federated credential has this subject; name the issuer\"}")
            }
            let lifetime = (object["lifetimeSeconds"] as? NSNumber)?.intValue ?? 3600
            guard let minted = entra.mintFederatedToken(issuer: issuer, subject: subject,
                                                                   audience: object["audience"] as? String ?? credential?.audience,
                                                                   lifetimeSeconds: lifetime) else {
                return Self.json(500, "{\"error\":\"cannot sign the token\"}")
            }
            return Self.json(200, Self.text(["token": minted.token, "expiresOn": Int(minted.expiresOn.timeIntervalSince1970),
                                             "issuer": issuer, "subject": subject]))
        case (.POST, "access-token"):
            guard let clientID = object["clientId"] as? String, let principal = entra.directory.principal(clientID: clientID) else {
                return Self.json(400, "{\"error\":\"the body must name a known principal: {\\\"clientId\\\": …}\"}")
            }
            let validFrom = Date().addingTimeInterval((object["validFromSeconds"] as? NSNumber)?.doubleValue ?? 0)
            let lifetime = (object["lifetimeSeconds"] as? NSNumber)?.intValue
            guard lifetime.map({ $0 > 0 }) ?? true,
                  let minted = entra.adminToken(for: principal, now: validFrom, lifetimeSeconds: lifetime) else {
                return Self.json(400, "{\"error\":\"lifetimeSeconds must be a whole number ≥ 1\"}")
            }
            log.always("entra: \(minted.issued.logLine)")
            return Self.json(200, Self.text(minted.azureCLIShape(tenant: entra.directory.tenantID)))
        case (.GET, "issued-tokens"):
            return Self.json(200, Self.text(["tokens": entra.issuedTokens.map(\.json)]))
        case (.GET, "federation-keys"):
            return Self.json(200, entra.federationJWKS.body)
        default:
            return Self.json(405, "{\"error\":\(JSONText.quote("\(method.rawValue) is not allowed on \(resource)"))}")
        }
    }

    static func text(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
