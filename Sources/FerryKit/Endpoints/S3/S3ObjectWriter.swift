import FerryChecksums
import FerryHTTP
import Foundation
import Synchronization

/// Writes one S3 object: whole (PutObject) or as a multipart upload.
///
/// For a multi-block plan the upload exists when `S3Endpoint.makeWriter` returns (so the engine
/// records its UploadId, `resumeToken`, before any part is sent): a writer continues the plan's
/// `resumeToken` upload if ListParts still finds it, else the newest unfinished upload of the key
/// (`S3ObjectWriter+Adoption.swift`), else starts a new one.
/// It is created with a FULL_OBJECT CRC64NVME checksum and the plan's content type and user
/// metadata (S3 fixes metadata at creation). Parts are numbered `index + 1`; each carries its own
/// CRC and its ETag is the receipt `commit` needs back.
///
/// `stagedBlocks` maps parts to the engine's blocks by position: `StagedBlock.index` is part
/// number − 1, `id` the part number in decimal, `receipt` the part's ETag (and `contentMD5` the
/// MD5 it is, where it is one).
///
/// Metadata: the whole-object CRC is not known at creation, so `commit` sends it as S3's own
/// FULL_OBJECT checksum (S3 verifies it against the parts) and `stat` reads it back from there.
/// Only content type or metadata that differ from the plan's are applied afterwards with a
/// CopyObject onto itself (objects up to 5 GiB).
///
/// Thread-safe: the upload ID lives in a `Mutex`, held across the create request so concurrent
/// first stages wait for the one upload instead of starting several.
final class S3ObjectWriter: ObjectWriter {
    let client: S3Client
    let key: String
    /// The properties the upload is created with (the plan's: no checksums).
    let creationProperties: ObjectProperties
    private let uploadID: Mutex<String?>

    /// CopyObject's limit: larger objects keep the metadata they were created with.
    static let maximumCopyBytes: Int64 = 5 << 30
    static let maximumPartNumber = 10_000

    /// Made with an upload that existed before it (recorded or found), which may hold parts.
    let mayHoldEarlierBlocks: Bool

    init(client: S3Client, key: String, resumeToken: String?, creationProperties: ObjectProperties = ObjectProperties()) {
        self.client = client
        self.key = key
        self.creationProperties = creationProperties
        let upload = resumeToken.flatMap { $0.isEmpty ? nil : $0 }
        uploadID = Mutex(upload)
        mayHoldEarlierBlocks = upload != nil
    }

    /// A writer for `plan`; for a multi-block plan, with its multipart upload under way: the
    /// plan's `resumeToken` upload if the service still has it, else the newest unfinished upload
    /// of the key (`S3ObjectWriter+Adoption.swift`), else a new one.
    static func open(client: S3Client, key: String, plan: ObjectWritePlan) throws -> S3ObjectWriter {
        let probe = S3ObjectWriter(client: client, key: key, resumeToken: nil, creationProperties: plan.properties)
        guard plan.isMultiBlock else { return probe }
        var earlier = plan.resumeToken.flatMap { $0.isEmpty ? nil : $0 }
        if let upload = earlier, try probe.listParts(upload) == nil { earlier = nil }
        if earlier == nil { earlier = try probe.newestUnfinishedUpload() }
        guard earlier != nil else {
            _ = try probe.ensureUpload()
            return probe
        }
        return S3ObjectWriter(client: client, key: key, resumeToken: earlier, creationProperties: plan.properties)
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
    func ensureUpload() throws -> String {
        try uploadID.withLock { current in
            if let current { return current }
            let operation = "starting the multipart upload of"
            var properties = creationProperties
            properties.crc64 = nil
            let headers = S3ObjectHeaders.propertyHeaders(properties)
                + [HTTPHeader("x-amz-checksum-algorithm", "CRC64NVME"), HTTPHeader("x-amz-checksum-type", "FULL_OBJECT")]
            let response = try client.send("POST", key: key, query: [("uploads", "")], headers: headers, operation: operation)
            try client.require(response, [200], operation: operation, key: key)
            guard let created = try? S3MultipartXML.uploadID(fromInitiateResult: response.body) else {
                throw FerryError(.protocolViolation, "\(operation) \(target) failed: the answer has no UploadId", disposition: .retry)
            }
            current = created
            return created
        }
    }

    /// Drops `upload` as this writer's upload (it was aborted or expired), unless another replaced it.
    func forgetUpload(_ upload: String) {
        uploadID.withLock { if $0 == upload { $0 = nil } }
    }

    func stagedBlocks() throws -> [StagedBlock] {
        guard let upload = resumeToken else { return [] }
        guard let parts = try listParts(upload) else {
            // The upload was aborted or expired: forget it, so the next stage starts a new one.
            forgetUpload(upload)
            return []
        }
        return parts.map {
            StagedBlock(id: String($0.partNumber), index: $0.partNumber - 1, sizeBytes: $0.sizeBytes, receipt: $0.etag,
                        contentMD5: $0.contentMD5)
        }
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
