import FerryChecksums
import FerryHTTP
import Foundation

/// Sends one SigV4-signed request to an S3 bucket and returns the answer, whatever its status.
/// The payload is `UNSIGNED-PAYLOAD` over https (TLS protects it; S3 checks each part's CRC) and
/// its SHA-256 over plain http, where a signed hash is the only integrity check of the body.
/// Makes exactly one attempt: the engine decides on retries.
/// Thread-safe: immutable apart from the pooled HTTP client, which is itself thread-safe.
final class S3Client: Sendable {
    let location: S3Location
    let credential: S3Credential
    private let http: HTTPClient
    private let signer: S3Signer?

    init(location: S3Location, credential: S3Credential, http: HTTPClient) {
        self.location = location
        self.credential = credential
        self.http = http
        if case .accessKey(let id, let secret, let token) = credential {
            signer = S3Signer(accessKeyID: id, secret: secret, sessionToken: token, region: location.region)
        } else {
            signer = nil
        }
    }

    /// `s3://bucket/key` (nil = the bucket), for messages.
    func describe(key: String?) -> String { location.describe(key: key) }

    /// Sends the request to the bucket (`key` nil) or an object. `query` holds decoded
    /// (name, value) pairs; a name-only parameter (`uploads`) has the value "".
    /// Transport failures are thrown as classified `FerryError`s; HTTP statuses are returned.
    func send(_ method: String, key: String?, query: [(String, String)] = [], headers: [HTTPHeader] = [],
              body: UnsafeRawBufferPointer? = nil, destination: HTTPResponseBodyDestination = .collect(maxBytes: 32 << 20),
              meter: (any TransferMeter)? = nil, operation: String) throws -> HTTPResponse {
        let encodedPath = location.encodedPath(key: key)
        let queryText = S3Signer.canonicalQuery(query)
        var allHeaders = headers
        if let signer {
            let payloadHash: String
            if location.scheme == "https" {
                payloadHash = S3Signer.unsignedPayload
            } else if let body, body.count > 0 {
                payloadHash = Digests.hex(Digests.sha256(body))
            } else {
                payloadHash = S3Signer.emptyPayloadHash
            }
            allHeaders = signer.sign(method: method, host: location.requestAuthority, encodedPath: encodedPath,
                                     query: query, headers: headers, payloadHash: payloadHash, date: Date())
        }
        let url = "\(location.scheme)://\(location.requestAuthority)\(encodedPath)" + (queryText.isEmpty ? "" : "?" + queryText)
        return try Self.perform(HTTPRequest(method: method, url: url, headers: allHeaders), body: body, destination: destination,
                           meter: meter, operation: operation, target: describe(key: key), http: http)
    }

    /// One request through `http`, with transport failures classified.
    static func perform(_ request: HTTPRequest, body: UnsafeRawBufferPointer?, destination: HTTPResponseBodyDestination,
                        meter: (any TransferMeter)?, operation: String, target: String,
                        http: HTTPClient) throws -> HTTPResponse {
        var progress: (@Sendable (Int) -> Void)?
        if let meter {
            progress = { byteCount in meter.account(byteCount) }
        }
        do {
            return try http.perform(request, body: body, destination: destination, progress: progress)
        } catch let failure as HTTPError {
            throw S3ErrorClassifier.error(for: failure, operation: operation, target: target)
        }
    }

    /// Throws the classified error unless `response.status` is one of `expected`.
    func require(_ response: HTTPResponse, _ expected: Set<Int>, operation: String, key: String?) throws {
        guard expected.contains(response.status) else {
            throw S3ErrorClassifier.error(for: response, operation: operation, target: describe(key: key))
        }
    }
}
