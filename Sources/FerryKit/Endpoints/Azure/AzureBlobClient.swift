import FerryHTTP
import Foundation

/// Sends one signed request to the blob service and returns the answer, whatever its status.
/// Adds `x-ms-version`, `x-ms-date`, `x-ms-client-request-id` and the credential (Shared Key
/// header, bearer header, or SAS query). Makes exactly one attempt: the engine decides on retries.
/// Thread-safe: immutable apart from the pooled HTTP client, which is itself thread-safe.
final class AzureBlobClient: Sendable {
    static let serviceVersion = "2021-08-06"

    let location: AzureBlobURL
    let credential: AzureCredential
    private let http: HTTPClient
    private let signer: AzureSharedKeySigner?

    init(location: AzureBlobURL, credential: AzureCredential, http: HTTPClient) {
        self.location = location
        self.credential = credential
        self.http = http
        if case .sharedKey(let account, let key) = credential {
            signer = AzureSharedKeySigner(account: account, key: key)
        } else {
            signer = nil
        }
    }

    /// The redacted URL of a blob (nil = the container), for messages.
    func describe(blobName: String?) -> String {
        Redaction.url(location.origin + location.encodedPath(blobName: blobName))
    }

    /// Sends the request. `query` holds decoded (name, value) pairs in the order to send them.
    /// Transport failures are thrown as classified `FerryError`s; HTTP statuses are returned,
    /// except where the credential explains them: with an Entra ID sign-in, a 401 gets one more
    /// attempt with a new token (the old one expired or was revoked), and a 403
    /// `AuthorizationPermissionMismatch` is thrown naming the role that would allow the request
    /// (unless `explainsRefusals` is false: a caller that treats refusals as an answer).
    func send(_ method: String, blobName: String?, query: [(String, String)] = [], headers: [HTTPHeader] = [],
              body: UnsafeRawBufferPointer? = nil, destination: HTTPResponseBodyDestination = .collect(maxBytes: 32 << 20),
              meter: (any TransferMeter)? = nil, operation: String, explainsRefusals: Bool = true) throws -> HTTPResponse {
        var response = try attempt(method, blobName: blobName, query: query, headers: headers, body: body,
                                   destination: destination, meter: meter, operation: operation)
        if response.response.status == 401, case .entraID(let tokens) = credential, let refused = response.token {
            tokens.invalidate(refused)
            response = try attempt(method, blobName: blobName, query: query, headers: headers, body: body,
                                   destination: destination, meter: meter, operation: operation)
        }
        if explainsRefusals, credential.sendsBearerToken, let refusal = AzureBearerRefusal.error(
            for: response.response, method: method, location: location, token: response.token,
            operation: operation, target: describe(blobName: blobName)) {
            throw refusal
        }
        return response.response
    }

    /// One signed attempt; also returns the Entra ID token it carried, if any.
    private func attempt(_ method: String, blobName: String?, query: [(String, String)], headers: [HTTPHeader],
                         body: UnsafeRawBufferPointer?, destination: HTTPResponseBodyDestination,
                         meter: (any TransferMeter)?, operation: String) throws -> (response: HTTPResponse, token: AccessToken?) {
        let encodedPath = location.encodedPath(blobName: blobName)
        var queryText = query.map { "\(Self.encodeQuery($0.0))=\(Self.encodeQuery($0.1))" }.joined(separator: "&")
        var allHeaders = headers
        allHeaders.append(HTTPHeader("x-ms-version", Self.serviceVersion))
        allHeaders.append(HTTPHeader("x-ms-date", HTTPDate.format(Date())))
        allHeaders.append(HTTPHeader("x-ms-client-request-id", UUID().uuidString.lowercased()))
        var token: AccessToken?

        switch credential {
        case .sharedAccessSignature(let sas):
            queryText += (queryText.isEmpty ? "" : "&") + sas
        case .sharedKey:
            if let signer {
                allHeaders.append(HTTPHeader("Authorization", signer.authorization(
                    method: method, encodedPath: encodedPath, query: query, headers: allHeaders,
                    contentLength: body?.count ?? 0)))
            }
        case .bearerToken(let value):
            allHeaders.append(HTTPHeader("Authorization", "Bearer \(value)"))
        case .entraID(let tokens):
            let current = try tokens.token()
            token = current
            allHeaders.append(HTTPHeader("Authorization", "Bearer \(current.value)"))
        case .anonymous:
            break
        }

        let url = location.origin + encodedPath + (queryText.isEmpty ? "" : "?" + queryText)
        let request = HTTPRequest(method: method, url: url, headers: allHeaders)
        var progress: (@Sendable (Int) -> Void)?
        if let meter {
            progress = { byteCount in meter.account(byteCount) }
        }
        do {
            return (try http.perform(request, body: body, destination: destination, progress: progress), token)
        } catch let failure as HTTPError {
            throw AzureErrorClassifier.error(for: failure, operation: operation, target: describe(blobName: blobName))
        }
    }

    /// Query values are encoded like path segments: everything but unreserved characters, so a
    /// block ID's `+ / =` survive every server's decoding (Azurite reads `+` as a space).
    static func encodeQuery(_ text: String) -> String {
        PercentEncoding.encode(text)
    }

    /// Throws the classified error unless `response.status` is one of `expected`.
    func require(_ response: HTTPResponse, _ expected: Set<Int>, operation: String, blobName: String?) throws {
        guard expected.contains(response.status) else {
            throw AzureErrorClassifier.error(for: response, operation: operation, target: describe(blobName: blobName))
        }
    }
}
