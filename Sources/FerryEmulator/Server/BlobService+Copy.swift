import FerryChecksums
import FerryEmulatorAuth
import Foundation
import NIOCore

/// Server-side copies whose source is a blob of this emulator (A4): Copy Blob (answered as a
/// finished copy), Put Blob From URL and Put Block From URL. Sources elsewhere are refused.
extension BlobService {
    /// The source blob named by `x-ms-copy-source`, after checking the caller may read it.
    private func copySource(_ context: RequestContext, sameAccountAllowed: Bool) throws(ServiceError)
        -> (container: String, blob: String, record: BlobRecord) {
        let text = context.header("x-ms-copy-source") ?? ""
        let cannotVerify = { (status: Int, message: String) in
            ServiceError(status: status, code: "CannotVerifyCopySource", message: message)
        }
        guard let components = URLComponents(string: text), components.scheme == "http" || components.scheme == "https" else {
            throw ServiceError.invalidHeader("x-ms-copy-source", text)
        }
        let rawPath = components.percentEncodedPath
        let rawQuery = components.percentEncodedQuery ?? ""
        let parts = try RequestRouter.splitPath(rawPath)
        guard parts.account == configuration.account, let container = parts.container, let blob = parts.blob else {
            throw cannotVerify(400, "ferry-emulator copies only from blobs of its own account (\(configuration.account)).")
        }
        let query = RequestRouter.parseQuery(rawQuery)
        let sourceAuthorization = context.header("x-ms-copy-source-authorization")
        if !(sameAccountAllowed && query["sig"] == nil && sourceAuthorization == nil) {
            var headers = [("x-ms-version", context.header("x-ms-version") ?? "2021-08-06")]
            if let sourceAuthorization { headers.append(("Authorization", sourceAuthorization)) }
            let received = ReceivedRequest(method: "GET", rawPath: rawPath, rawQuery: rawQuery, headers: headers,
                                           account: parts.account, container: container, blob: blob)
            let access = store.container(container).flatMap { PublicAccess(rawValue: $0.publicAccess) } ?? .none
            let verdict = authenticator.authenticate(received, requirement: AccessRequirement(anyOf: ["r"], level: .object,
                                                                                              isAnonymousReadable: true),
                                                     publicAccess: access)
            if case .failure(let rejection) = verdict {
                throw cannotVerify(rejection.status == 401 ? 401 : 403, "The copy source could not be read: \(rejection.message)")
            }
        }
        let found: BlobRecord?
        do {
            found = try store.blob(container, blob)
        } catch {
            throw cannotVerify(404, "The specified container does not exist.")
        }
        guard let record = found else { throw cannotVerify(404, "The specified blob does not exist.") }
        // Copy Blob may rehydrate an archived source into an online tier; the From URL copies read its bytes.
        if record.isArchived && !sameAccountAllowed { throw AccessTier.blobArchived() }
        return (container, blob, record)
    }

    /// Copy Blob (`x-ms-copy-source` without `x-ms-blob-type`) and Put Blob From URL (with it).
    func copyBlob(_ context: RequestContext) async throws -> ServiceResponse {
        let isPutFromURL = context.header("x-ms-blob-type") != nil
        let source = try copySource(context, sameAccountAllowed: !isPutFromURL)
        if let expected = try ContentChecksums.parseMD5(context.header("x-ms-source-content-md5"), header: "x-ms-source-content-md5"),
           let stored = source.record.settings.contentMD5, Data(base64Encoded: stored) != expected {
            throw ServiceError(status: 400, code: "Md5Mismatch", message: "The MD5 of the copy source does not match x-ms-source-content-md5.")
        }
        let conditions = try context.conditions
        let tier = try context.accessTier
        let sentMetadata = try context.metadata
        let metadata: [MetadataEntry]? = isPutFromURL || !sentMetadata.isEmpty ? sentMetadata : nil
        let copiesProperties = !isPutFromURL || context.header("x-ms-copy-source-blob-properties")?.lowercased() != "false"
        let settings: BlobContentSettings? = copiesProperties ? nil : Self.contentSettings(context, contentTypeFallback: nil)
        let (container, blob) = (context.container, context.blob)
        // The source URL is kept without its query: a SAS signature must never reach the disk.
        let sourceURL = (context.header("x-ms-copy-source") ?? "").split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let copy = isPutFromURL ? nil : CopyRecord(id: UUID().uuidString.lowercased(), source: sourceURL, totalBytes: 0,
                                                   completionTime: Date())
        let record = try await onPool { [store, settings] in
            try store.copyBlob(from: source.container, source.blob, to: container, blob, settings: settings, metadata: metadata,
                               copy: copy, accessTier: tier, conditions: conditions)
        }
        var headers = ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified)
        headers.append(("x-ms-request-server-encrypted", "true"))
        if isPutFromURL {
            if let md5 = record.settings.contentMD5 { headers.append(("Content-MD5", md5)) }
            return ServiceResponse(status: 201, headers: headers)
        }
        headers += [("x-ms-copy-id", record.copy?.id ?? ""), ("x-ms-copy-status", "success")]
        return ServiceResponse(status: 202, headers: headers)
    }

    /// Put Block From URL: stages a byte range of a source blob as a block.
    func putBlockFromURL(_ context: RequestContext, id: String, decodedLength: Int) async throws -> ServiceResponse {
        let source = try copySource(context, sameAccountAllowed: false)
        guard store.container(context.container) != nil else { throw ServiceError.containerNotFound() }
        var start: Int64 = 0
        var end = source.record.size - 1
        if let rangeText = context.header("x-ms-source-range") {
            guard let range = ByteRange.parse(rangeText) else { throw ServiceError.invalidHeader("x-ms-source-range", rangeText) }
            switch range.resolve(size: source.record.size) {
            case .partial(let from, let through):
                start = from
                end = through
            case .whole, .unsatisfiable:
                throw ServiceError(status: 416, code: "InvalidRange", message: "The source range is invalid for the copy source.")
            }
        }
        let expectedMD5 = try ContentChecksums.parseMD5(context.header("x-ms-source-content-md5"), header: "x-ms-source-content-md5")
        let expectedCRC = try context.header("x-ms-source-content-crc64").map { text throws(ServiceError) -> UInt64 in
            guard let value = CRC64.fromAzureBase64(text.trimmingSpaces()) else { throw .invalidHeader("x-ms-source-content-crc64", text) }
            return value
        }
        let segments = Self.segments(source.record, from: start, through: end, layout: store.layout)
        let path = store.layout.newTemporaryPath()
        let file = try await onPool { try UploadFile(path: path, computeMD5: expectedMD5 != nil, computeCRC64: expectedMD5 == nil) }
        do {
            for segment in segments {
                var offset = segment.offset
                var left = segment.length
                while left > 0 {
                    let count = Int(min(left, Int64(ContentSender.chunkBytes)))
                    let readOffset = offset
                    try await onPool {
                        try file.append([try ContentSender.read(path: segment.path, offset: readOffset, count: count)])
                    }
                    offset += Int64(count)
                    left -= Int64(count)
                }
            }
            file.close()
            let md5 = file.finishMD5()
            try ContentChecksums(md5: expectedMD5, crc64: expectedCRC).verify(md5: md5, crc64: file.crc64.value)
            let (container, blob, size) = (context.container, context.blob, file.size)
            try await onPool { [store] in
                try store.stageBlock(container, blob, id: id, decodedLength: decodedLength, uploadedFile: path, size: size)
            }
            stats.recordPutBlock(.init(container: container, blob: blob, blockID: id, size: size))
            let checksum = md5.map { ("Content-MD5", $0.base64EncodedString()) }
                ?? ("x-ms-content-crc64", CRC64.azureBase64(file.crc64.value))
            return ServiceResponse(status: 201, headers: [checksum, ("x-ms-request-server-encrypted", "true")])
        } catch {
            file.discard()
            throw error
        }
    }
}
