import FerryChecksums
import FerryHTTP
import Foundation
import Synchronization

/// Writes one S3 object: whole (PutObject) or as a multipart upload.
///
/// The upload is created lazily by the first `stage` (exactly one per writer, however many
/// threads stage at once) with a FULL_OBJECT CRC64NVME checksum; its UploadId is `resumeToken`.
/// A writer made with `plan.resumeToken` continues that upload. Parts are numbered `index + 1`;
/// each carries its own CRC and its ETag is the receipt `commit` needs back.
///
/// Mapping `stagedBlocks` to the engine's blocks: S3 does not know Ferry's block IDs, so each
/// `StagedBlock.id` is the part number in decimal (`"1"` for block index 0) and `receipt` is the
/// part's ETag. The engine maps part N to block index N − 1, trusts it only if `sizeBytes` equals
/// that block's planned length, and passes the ETag back to `commit` as that block's receipt.
///
/// Metadata: S3 fixes an object's metadata when the upload is created, before the whole-object
/// CRC is known, so `commit` sends the CRC as S3's own checksum (which S3 verifies against the
/// parts) and `stat` reads it back from there. Other metadata or a content type given only at
/// commit is applied afterwards with a CopyObject onto itself (objects up to 5 GiB; see
/// `ObjectWritePlan` for the protocol change that would remove this).
///
/// Thread-safe: the upload ID lives in a `Mutex`, held across the create request so concurrent
/// first stages wait for the one upload instead of starting several.
final class S3ObjectWriter: ObjectWriter {
    let client: S3Client
    let key: String
    private let uploadID: Mutex<String?>

    /// CopyObject's limit: larger objects keep the metadata they were created with.
    static let maximumCopyBytes: Int64 = 5 << 30
    static let maximumPartNumber = 10_000

    init(client: S3Client, key: String, resumeToken: String?) {
        self.client = client
        self.key = key
        uploadID = Mutex(resumeToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    var resumeToken: String? { uploadID.withLock { $0 } }
    private var target: String { client.describe(key: key) }

    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums, properties: ObjectProperties,
                    meter: any TransferMeter) throws {
        var stored = properties
        stored.crc64 = properties.crc64 ?? checksums.crc64
        var headers = [HTTPHeader(S3ObjectHeaders.crc64ChecksumHeader, CRC64.s3Base64(checksums.crc64))]
        if let md5 = checksums.md5 ?? properties.contentMD5 {
            headers.append(HTTPHeader("Content-MD5", md5.base64EncodedString()))
        }
        headers += S3ObjectHeaders.propertyHeaders(stored)
        if properties.mustNotExist { headers.append(HTTPHeader("If-None-Match", "*")) }
        let operation = "uploading"
        let response = try client.send("PUT", key: key, headers: headers, body: data, meter: meter, operation: operation)
        try client.require(response, [200], operation: operation, key: key)
    }

    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums,
               meter: any TransferMeter) throws -> String? {
        let partNumber = block.index + 1
        guard (1...Self.maximumPartNumber).contains(partNumber) else {
            throw FerryError(.usage, "uploading \(target) failed: block \(block.index) is past S3's 10,000 parts; use a larger block size",
                             disposition: .skipItem)
        }
        let upload = try ensureUpload()
        var headers = [HTTPHeader(S3ObjectHeaders.crc64ChecksumHeader, CRC64.s3Base64(checksums.crc64))]
        if let md5 = checksums.md5 { headers.append(HTTPHeader("Content-MD5", md5.base64EncodedString())) }
        let operation = "uploading part \(partNumber) of"
        let response = try client.send("PUT", key: key, query: [("partNumber", String(partNumber)), ("uploadId", upload)],
                                       headers: headers, body: data, meter: meter, operation: operation)
        try client.require(response, [200], operation: operation, key: key)
        guard let etag = response.header("etag"), !etag.isEmpty else {
            throw FerryError(.protocolViolation, "\(operation) \(target) failed: the service sent no ETag", disposition: .retry)
        }
        return etag
    }

    /// The upload's ID, creating the upload on first use (under the lock: exactly one).
    private func ensureUpload() throws -> String {
        try uploadID.withLock { current in
            if let current { return current }
            let operation = "starting the multipart upload of"
            let headers = [HTTPHeader("Content-Type", S3ObjectHeaders.defaultContentType),
                           HTTPHeader("x-amz-checksum-algorithm", "CRC64NVME"),
                           HTTPHeader("x-amz-checksum-type", "FULL_OBJECT")]
            let response = try client.send("POST", key: key, query: [("uploads", "")], headers: headers, operation: operation)
            try client.require(response, [200], operation: operation, key: key)
            guard let created = try? S3MultipartXML.uploadID(fromInitiateResult: response.body) else {
                throw FerryError(.protocolViolation, "\(operation) \(target) failed: the answer has no UploadId", disposition: .retry)
            }
            current = created
            return created
        }
    }

    func stagedBlocks() throws -> [StagedBlock] {
        guard let upload = resumeToken else { return [] }
        guard let parts = try listParts(upload) else {
            // The upload was aborted or expired: forget it, so the next stage starts a new one.
            uploadID.withLock { if $0 == upload { $0 = nil } }
            return []
        }
        return parts.map { StagedBlock(id: String($0.partNumber), sizeBytes: $0.sizeBytes, receipt: $0.etag) }
    }

    /// Every part of the upload, following ListParts pages; nil when the upload no longer exists.
    func listParts(_ upload: String) throws -> [S3ListPartsPage.Part]? {
        var parts: [S3ListPartsPage.Part] = []
        var marker: Int?
        let operation = "listing the uploaded parts of"
        repeat {
            var query = [("uploadId", upload), ("max-parts", "1000")]
            if let marker { query.append(("part-number-marker", String(marker))) }
            let response = try client.send("GET", key: key, query: query, operation: operation)
            if response.status == 404, S3MultipartXML.errorBody(response.body).code != "NoSuchBucket" { return nil }
            try client.require(response, [200], operation: operation, key: key)
            let page: S3ListPartsPage
            do {
                page = try S3ListPartsPage.parse(response.body)
            } catch {
                throw FerryError(.protocolViolation, "\(operation) \(target) failed: the part list is not valid XML",
                                 disposition: .retry, cause: "\(error)")
            }
            parts += page.parts
            marker = page.nextPartNumberMarker
        } while marker != nil
        return parts
    }
}
