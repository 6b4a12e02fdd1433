import FerryChecksums
import FerryHTTP
import Foundation

/// S3 DeleteObjects: up to 1,000 keys per `POST /BUCKET?delete`, with the Content-MD5 the API
/// requires. Keys XML cannot carry, and keys the answer does not name, are deleted one by one,
/// so every path gets a definite result.
extension S3Endpoint: BatchDeletingEndpoint {
    public var maximumDeleteBatchCount: Int { 1000 }

    public func deleteBatch(_ paths: [String]) throws -> [FerryError?] {
        precondition(paths.count <= maximumDeleteBatchCount, "more paths than one DeleteObjects request takes")
        guard case .bucket(let client) = target else {
            throw FerryError(.usage, "\(redactedDescription) is a presigned URL, which can only be read", disposition: .abortJob)
        }
        var results = [FerryError?](repeating: nil, count: paths.count)
        // Positions of each key (as bytes) in the request, so the answer maps back without
        // Unicode-equivalent names colliding.
        var positions: [[UInt8]: [Int]] = [:]
        var keys: [String] = []
        var singly: [Int] = []
        for (index, path) in paths.enumerated() {
            let key = client.location.objectKey(for: path)
            if key.isEmpty { continue }  // the bucket itself: nothing to delete
            guard S3DeleteObjectsXML.canCarry(key) else {
                singly.append(index)
                continue
            }
            if positions[Array(key.utf8)] == nil { keys.append(key) }
            positions[Array(key.utf8), default: []].append(index)
        }
        if !keys.isEmpty {
            let answer = try sendDeleteObjects(keys, client: client)
            var reported = Set<[UInt8]>()
            for key in answer.deleted {
                reported.insert(Array(key.utf8))
            }
            for failure in answer.errors {
                let bytes = Array(failure.key.utf8)
                guard let indexes = positions[bytes] else { continue }
                reported.insert(bytes)
                if failure.code == "NoSuchKey" { continue }  // already gone: not an error
                let error = Self.keyError(failure, target: client.describe(key: failure.key))
                for index in indexes { results[index] = error }
            }
            for (bytes, indexes) in positions where !reported.contains(bytes) {
                singly.append(contentsOf: indexes)
            }
        }
        for index in singly.sorted() {
            do {
                try delete(paths[index])
            } catch let error as FerryError {
                results[index] = error
            }
        }
        return results
    }

    private func sendDeleteObjects(_ keys: [String], client: S3Client) throws -> S3DeleteObjectsXML.Result {
        let body = S3DeleteObjectsXML.requestBody(keys: keys)
        let headers = [HTTPHeader("Content-MD5", Digests.md5(body).base64EncodedString()),
                       HTTPHeader("Content-Type", "application/xml")]
        let operation = "deleting \(keys.count) objects in"
        let response = try body.withUnsafeBytes { bytes in
            try client.send("POST", key: nil, query: [("delete", "")], headers: headers, body: bytes, operation: operation)
        }
        try client.require(response, [200], operation: operation, key: client.location.prefix)
        do {
            return try S3DeleteObjectsXML.parseResult(response.body)
        } catch {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: client.location.prefix)) failed: the service sent an answer that is not a DeleteResult",
                             disposition: .retry, cause: "\(error)")
        }
    }

    /// A per-key `<Error>` as a `FerryError`, classified as an HTTP answer with that code would be.
    static func keyError(_ failure: S3DeleteObjectsXML.KeyError, target: String) -> FerryError {
        let status: Int
        switch failure.code {
        case "InternalError": status = 500
        case "SlowDown", "ServiceUnavailable": status = 503
        case _ where S3ErrorClassifier.authenticationCodes.contains(failure.code): status = 403
        default: status = 400
        }
        return S3ErrorClassifier.error(status: status, code: failure.code, serverMessage: failure.message, retryAfter: nil,
                                       bucketRegion: nil, operation: "deleting", target: target)
    }
}
