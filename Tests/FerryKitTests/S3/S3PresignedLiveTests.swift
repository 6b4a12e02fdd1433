import FerryChecksums
import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

/// A presigned GET URL as a read-only source, against SeaweedFS (which checks the signature).
@Suite(.serialized) struct S3PresignedLiveTests {
    /// Builds a presigned GET URL the way AWS documents it (query-string SigV4, host signed only).
    static func presign(endpointURL: String, bucket: String, key: String, accessKey: String, secret: String,
                        expiresSeconds: Int = 600) -> String {
        let host = String(endpointURL.dropFirst("http://".count))
        let timestamp = S3Signer.amzDate(Date())
        let scope = "\(timestamp.prefix(8))/us-east-1/s3/aws4_request"
        let path = "/\(bucket)/\(S3Signer.encodePath(key))"
        var query = [("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(accessKey)/\(scope)"),
                     ("X-Amz-Date", timestamp), ("X-Amz-Expires", String(expiresSeconds)), ("X-Amz-SignedHeaders", "host")]
        let canonical = S3Signer.canonicalRequest(method: "GET", encodedPath: path, query: query,
                                                  headers: [HTTPHeader("host", host)], payloadHash: S3Signer.unsignedPayload)
        let stringToSign = S3Signer.stringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonical.text)
        let signingKey = S3Signer.signingKey(secret: secret, dateStamp: String(timestamp.prefix(8)), region: "us-east-1")
        query.append(("X-Amz-Signature", Digests.hex(Digests.hmacSHA256(key: signingKey, message: stringToSign))))
        return "\(endpointURL)\(path)?\(S3Signer.canonicalQuery(query))"
    }

    @Test func presignedURLReadsOneObject() throws {
        try withSeaweed { url, key, secret in
            let bucketEndpoint = try S3LiveTests.endpoint(url, key, secret, root: "shared")
            let data = S3LiveTests.bytes(70_000, seed: 11)
            try S3LiveTests.put(bucketEndpoint, "file one.bin", data)
            try S3LiveTests.put(bucketEndpoint, "empty.bin", [])

            let presigned = Self.presign(endpointURL: url, bucket: SeaweedProcess.bucket, key: "shared/file one.bin",
                                         accessKey: key, secret: secret)
            // Credentials in the environment must not be used (or needed) for a presigned URL.
            let endpoint = try S3Endpoint(url: presigned, options: S3EndpointOptions(),
                                          credentials: S3CredentialSources(environment: ["AWS_ACCESS_KEY_ID": "NOPE",
                                                                                         "AWS_SECRET_ACCESS_KEY": "nope"]),
                                          connectionCount: 2)
            let signature = try #require(presigned.components(separatedBy: "X-Amz-Signature=").last?.prefix(while: { $0 != "&" }))
            #expect(signature.count == 64)
            #expect(!endpoint.redactedDescription.contains(signature))
            let info = try #require(try endpoint.stat(""))
            #expect(info.sizeBytes == 70_000)
            #expect(try endpoint.stat("other") == nil)
            #expect(try S3LiveTests.read(endpoint, "", 0..<70_000) == data)
            #expect(try S3LiveTests.read(endpoint, "", 69_990..<70_100) == Array(data[69_990...]))
            #expect(try S3LiveTests.listAll(endpoint).isEmpty)
            #expect { try endpoint.delete("") } throws: { ($0 as? FerryError)?.code == .usage }

            let empty = try S3Endpoint(url: Self.presign(endpointURL: url, bucket: SeaweedProcess.bucket, key: "shared/empty.bin",
                                                         accessKey: key, secret: secret),
                                       options: S3EndpointOptions(), credentials: S3CredentialSources(environment: [:]),
                                       connectionCount: 1)
            #expect(try empty.stat("")?.sizeBytes == 0)

            // A tampered signature is refused as an authentication failure.
            let tampered = try S3Endpoint(url: presigned.replacingOccurrences(of: "X-Amz-Expires=600", with: "X-Amz-Expires=601"),
                                          options: S3EndpointOptions(), credentials: S3CredentialSources(environment: [:]),
                                          connectionCount: 1)
            #expect { _ = try tampered.stat("") } throws: { ($0 as? FerryError)?.code == .authenticationFailed }
        }
    }
}
