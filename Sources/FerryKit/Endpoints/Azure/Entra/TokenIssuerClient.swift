import FerryHTTP
import Foundation

/// Sends one token request (a form POST to an Entra token endpoint, or a GET to a managed-identity
/// endpoint) and reads the token or the refusal. One attempt: `AccessTokenCache` and the engine
/// decide on retries. Thread-safe: immutable apart from the pooled HTTP client.
final class TokenIssuerClient: Sendable {
    private let http: HTTPClient
    /// Injected so tests can pin "now"; the wall clock otherwise.
    private let clock: @Sendable () -> Date

    /// `caBundlePath`: the PEM of CAs to trust (`--ca-file`), as for the blob service.
    init(caBundlePath: String?, connectTimeoutSeconds: Int = 15, clock: @escaping @Sendable () -> Date = Date.init) {
        http = HTTPClient(configuration: HTTPClientConfiguration(connectionCount: 2, connectTimeoutSeconds: connectTimeoutSeconds,
                                                                 stallTimeSeconds: 30, caBundlePath: caBundlePath))
        self.clock = clock
    }

    /// POSTs `fields` as `application/x-www-form-urlencoded` to `url` for `credential` (a description).
    func postForm(_ fields: [(String, String)], to url: String, credential: String) throws -> AccessToken {
        let body = Data(Self.formEncode(fields).utf8)
        let request = HTTPRequest(method: "POST", url: url, headers: [
            HTTPHeader("Content-Type", "application/x-www-form-urlencoded"), HTTPHeader("Accept", "application/json")])
        let response = try body.withUnsafeBytes { bytes in try perform(request, body: bytes, credential: credential) }
        return try token(from: response, credential: credential)
    }

    /// GETs `url` with `headers` (a managed-identity endpoint).
    /// `refusalAdvice`: what to check when it refuses.
    func get(_ url: String, headers: [HTTPHeader], credential: String, refusalAdvice: String) throws -> AccessToken {
        let response = try perform(HTTPRequest(method: "GET", url: url, headers: headers), body: nil, credential: credential)
        return try token(from: response, credential: credential, refusalAdvice: refusalAdvice)
    }

    private func perform(_ request: HTTPRequest, body: UnsafeRawBufferPointer?, credential: String) throws -> HTTPResponse {
        do {
            return try http.perform(request, body: body, destination: .collect(maxBytes: 1 << 20))
        } catch let failure as HTTPError {
            throw HTTPFailureClassifier.error(for: failure, operation: "signing in with \(credential) at",
                                              target: Redaction.url(request.url),
                                              checkAdvice: "check AZURE_AUTHORITY_HOST or the identity endpoint, --ca-file and proxy settings")
        }
    }

    private func token(from response: HTTPResponse, credential: String, refusalAdvice: String? = nil) throws -> AccessToken {
        guard response.isSuccess else {
            throw EntraTokenResponse.refusal(status: response.status, body: response.body, signingIn: credential,
                                             fallbackAdvice: refusalAdvice)
        }
        guard let token = EntraTokenResponse.token(from: response.body, now: clock()) else {
            throw FerryError(.protocolViolation, "signing in with \(credential) failed: the issuer's answer holds no "
                             + "access_token with expires_in or expires_on", disposition: .abortJob)
        }
        return token
    }

    /// `name=value&…` with everything but RFC 3986 unreserved characters percent-encoded.
    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
    }
}
