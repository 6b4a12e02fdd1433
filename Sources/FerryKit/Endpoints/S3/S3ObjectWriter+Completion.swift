import FerryChecksums
import FerryHTTP
import Foundation

extension S3ObjectWriter {
    /// CompleteMultipartUpload with the parts in ascending order and their ETags, the
    /// whole-object CRC as S3's FULL_OBJECT checksum (S3 checks it against the parts' CRCs) and
    /// `If-None-Match: *` for `mustNotExist`. A 200 whose body is an `<Error>` is a retryable
    /// failure. A receipt the engine lost is looked up with ListParts.
    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws {
        let operation = "completing the multipart upload of"
        guard let upload = resumeToken else {
            throw FerryError(.internal, "\(operation) \(client.describe(key: key)) failed: no part was uploaded", disposition: .skipItem)
        }
        let parts = try orderedParts(blocks, receipts: receipts, upload: upload, operation: operation)
        var headers: [HTTPHeader] = []
        if let crc = properties.crc64 {
            headers.append(HTTPHeader(S3ObjectHeaders.crc64ChecksumHeader, CRC64.s3Base64(crc)))
            headers.append(HTTPHeader("x-amz-checksum-type", "FULL_OBJECT"))
        }
        if properties.mustNotExist { headers.append(HTTPHeader("If-None-Match", "*")) }
        let body = S3MultipartXML.completeBody(parts: parts)
        let response = try body.withUnsafeBytes { bytes in
            try client.send("POST", key: key, query: [("uploadId", upload)],
                            headers: headers + [HTTPHeader("Content-Type", "application/xml")], body: bytes, operation: operation)
        }
        let sizeBytes = blocks.reduce(Int64(0)) { $0 + Int64($1.length) }
        // NoSuchUpload may mean an earlier attempt completed it and its answer was lost (a
        // timeout, a retried 200-with-error): then the object is there, built from these parts.
        var completedEarlier = false
        if response.status == 404, S3MultipartXML.errorBody(response.body).code == "NoSuchUpload" {
            completedEarlier = try isAlreadyCompleted(partCount: parts.count, sizeBytes: sizeBytes, crc64: properties.crc64)
        }
        if !completedEarlier {
            try client.require(response, [200], operation: operation, key: key)
            try requireCompleted(response, operation: operation)
        }

        if S3ObjectHeaders.needsMetadataRewrite(properties, createdWith: creationProperties), sizeBytes <= Self.maximumCopyBytes {
            try rewriteMetadata(properties)
        }
    }

    /// Whether the object now stored is the one these parts make: a multipart ETag with as many
    /// parts, the planned size, and (when known) the same CRC-64.
    private func isAlreadyCompleted(partCount: Int, sizeBytes: Int64, crc64: UInt64?) throws -> Bool {
        let response = try client.send("HEAD", key: key, headers: [HTTPHeader("x-amz-checksum-mode", "ENABLED")],
                                       operation: "checking the completed upload of")
        guard response.status == 200 else { return false }
        let info = S3ObjectHeaders.objectInfo(path: key, headers: response.headers)
        guard info.sizeBytes == sizeBytes, info.etag?.hasSuffix("-\(partCount)") == true else { return false }
        if let crc64, let stored = info.crc64 { return stored == crc64 }
        return true
    }

    /// AbortMultipartUpload; an upload already gone is not an error. Without an upload there is
    /// nothing to drop, and a committed object is never touched. Afterwards the writer has no
    /// upload (a later `stage` would start a new one).
    func abort() throws {
        guard let upload = resumeToken else { return }
        let operation = "abandoning the multipart upload of"
        let response = try client.send("DELETE", key: key, query: [("uploadId", upload)], operation: operation)
        if response.status != 404 { try client.require(response, [204, 200], operation: operation, key: key) }
        forgetUpload(upload)
    }

    /// (part number, ETag) for each block in ascending order; missing receipts from ListParts.
    private func orderedParts(_ blocks: [BlockRef], receipts: [String?], upload: String,
                              operation: String) throws -> [(partNumber: Int, etag: String)] {
        var known: [Int: String] = [:]
        for (position, block) in blocks.enumerated() {
            if position < receipts.count, let receipt = receipts[position], !receipt.isEmpty {
                known[block.index + 1] = receipt
            }
        }
        if known.count < blocks.count {
            for part in try listParts(upload) ?? [] where known[part.partNumber] == nil {
                known[part.partNumber] = part.etag
            }
        }
        return try blocks.map(\.index).sorted().map { index in
            guard let etag = known[index + 1] else {
                throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: key)) failed: part \(index + 1) was never uploaded",
                                 disposition: .skipItem)
            }
            return (index + 1, etag)
        }
    }

    private func requireCompleted(_ response: HTTPResponse, operation: String) throws {
        let outcome: S3MultipartXML.CompletionOutcome
        do {
            outcome = try S3MultipartXML.completionOutcome(response.body)
        } catch {
            throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: key)) failed: the answer is not valid XML",
                             disposition: .retry, cause: "\(error)")
        }
        if case .failed(let code, let message) = outcome {
            throw S3ErrorClassifier.errorInSuccessfulAnswer(code: code, message: message, operation: operation,
                                                            target: client.describe(key: key))
        }
    }

    /// CopyObject onto itself with REPLACE: stores the content type, user metadata and
    /// `ferrycrc64` that S3 only takes when an object is created.
    private func rewriteMetadata(_ properties: ObjectProperties) throws {
        let operation = "storing the metadata of"
        let source = "/" + S3Signer.encode(client.location.bucket) + "/" + S3Signer.encodePath(key)
        var headers = [HTTPHeader("x-amz-copy-source", source), HTTPHeader("x-amz-metadata-directive", "REPLACE"),
                       HTTPHeader("x-amz-checksum-algorithm", "CRC64NVME")]
        headers += S3ObjectHeaders.propertyHeaders(properties)
        let response = try client.send("PUT", key: key, headers: headers, operation: operation)
        try client.require(response, [200], operation: operation, key: key)
        try requireCompleted(response, operation: operation)
    }
}
