import FerryEmulatorAuth
import Foundation
import NIOCore
import NIOHTTP1

/// Answers the issuer's and managed identity's HTTP requests (`IdentityRoute`) from the
/// `EntraIssuer`, and logs every token issued (principal and expiry, never the token) on stderr.
/// Holds references to thread-safe parts; safe from any task.
struct IdentityEndpoint {
    static let formLimitBytes = 64 * 1024

    let issuer: EntraIssuer
    let log: RequestLog

    /// `baseURL` is `https://HOST:PORT` as the client reached this server.
    func answer(_ route: IdentityRoute, head: HTTPRequestHead, rawQuery: String, baseURL: String,
                reader: RequestReader) async -> ServiceResponse {
        let body: ByteBuffer?
        do {
            body = try await reader.collectBody(limitBytes: Self.formLimitBytes)
        } catch {
            return ServiceResponse(status: 400, headers: [("Content-Type", "application/json; charset=utf-8")],
                                   body: .bytes(ByteBuffer(string: "{\"error\":\"invalid_request\",\"error_description\":\"cannot read the body\"}")))
        }
        let answer: EntraAnswer
        switch route {
        case .openIDConfiguration(let tenant):
            answer = issuer.openIDConfiguration(tenant: tenant, baseURL: baseURL)
        case .keys(let tenant):
            answer = issuer.keys(tenant: tenant)
        case .token(let tenant):
            let form = body.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? ""
            answer = issuer.token(tenant: tenant, formBody: form, tokenEndpoint: "\(baseURL)/\(tenant)/oauth2/v2.0/token")
        case .appServiceManagedIdentity, .imdsManagedIdentity:
            let query = RequestRouter.parseQuery(rawQuery)
            answer = issuer.managedIdentityToken(route == .imdsManagedIdentity ? .imds : .appService, query: query,
                                                 header: { head.headers.first(name: $0) })
        }
        if let issued = answer.issued { log.always("entra: \(issued.logLine)") }
        return Self.json(answer)
    }

    static func json(_ answer: EntraAnswer) -> ServiceResponse {
        ServiceResponse(status: answer.status, headers: [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")],
                        body: .bytes(ByteBuffer(string: answer.body)))
    }
}
