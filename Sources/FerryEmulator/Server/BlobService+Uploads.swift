import FerryChecksums
import Foundation
import NIOCore

extension BlobService {
    static let maximumBlockBytes: Int64 = 4000 * 1024 * 1024
    static let maximumPutBlobBytes: Int64 = 5000 * 1024 * 1024

    func putBlob(_ context: RequestContext, reader: RequestReader) async throws -> ServiceResponse {
        if context.header("x-ms-copy-source") != nil { return try await copyBlob(context) }
        guard let blobType = context.header("x-ms-blob-type") else { throw ServiceError.missingHeader("x-ms-blob-type") }
        guard blobType == "BlockBlob" else { throw ServiceError.invalidHeader("x-ms-blob-type", blobType) }
        let conditions = try context.conditions
        let metadata = try context.metadata
        let sentChecksums = try ContentChecksums(context)
        let blobMD5 = try ContentChecksums.parseMD5(context.header("x-ms-blob-content-md5"), header: "x-ms-blob-content-md5")
        let tier = try context.accessTier
        try refuseOversize(context, limit: Self.maximumPutBlobBytes)
        // Checked before the body arrives (fail fast) and again, atomically, when storing.
        let current = try store.blob(context.container, context.blob)
        if let failure = conditions.check(etag: current?.etag, lastModified: current?.lastModified, kind: .create) {
            throw failure
        }
        let file = try await receive(context, reader: reader, computeMD5: true, computeCRC64: sentChecksums.crc64 != nil)
        let md5 = file.finishMD5() ?? Data()
        do {
            // x-ms-blob-content-md5 wins over Content-MD5 (A9).
            try ContentChecksums(md5: blobMD5 ?? sentChecksums.md5, crc64: sentChecksums.crc64).verify(md5: md5, crc64: file.crc64.value)
        } catch {
            file.discard()
            throw error
        }
        var settings = Self.contentSettings(context, contentTypeFallback: context.header("content-type"))
        settings.contentMD5 = md5.base64EncodedString()
        let (container, blob, size, path) = (context.container, context.blob, file.size, file.path)
        let record: BlobRecord
        do {
            record = try await onPool { [store, settings] in
                try store.putBlob(container, blob, uploadedFile: path, size: size, settings: settings, metadata: metadata,
                                  accessTier: tier, conditions: conditions)
            }
        } catch {
            file.discard()
            throw error
        }
        var headers = ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified)
        headers += [("Content-MD5", md5.base64EncodedString()), ("x-ms-request-server-encrypted", "true")]
        if sentChecksums.crc64 != nil { headers.append(("x-ms-content-crc64", CRC64.azureBase64(file.crc64.value))) }
        return ServiceResponse(status: 201, headers: headers)
    }

    func putBlock(_ context: RequestContext, reader: RequestReader) async throws -> ServiceResponse {
        guard let id = context.query("blockid") else {
            throw ServiceError(status: 400, code: "MissingRequiredQueryParameter",
                               message: "A query parameter that's mandatory for this request is not specified.",
                               details: [("QueryParameterName", "blockid")])
        }
        let decodedLength = try BlobStore.decodedBlockIDLength(id)
        if context.header("x-ms-copy-source") != nil {
            return try await putBlockFromURL(context, id: id, decodedLength: decodedLength)
        }
        let sent = try ContentChecksums(context)
        try refuseOversize(context, limit: Self.maximumBlockBytes)
        guard store.container(context.container) != nil else { throw ServiceError.containerNotFound() }
        // The answer carries the MD5 when one was sent, else the server's CRC-64.
        let file = try await receive(context, reader: reader, computeMD5: sent.md5 != nil, computeCRC64: sent.md5 == nil)
        let md5 = file.finishMD5()
        do {
            try sent.verify(md5: md5, crc64: file.crc64.value)
        } catch {
            file.discard()
            throw error
        }
        let (container, blob, size, path) = (context.container, context.blob, file.size, file.path)
        do {
            try await onPool { [store] in
                try store.stageBlock(container, blob, id: id, decodedLength: decodedLength, uploadedFile: path, size: size)
            }
        } catch {
            file.discard()
            throw error
        }
        stats.recordPutBlock(.init(container: container, blob: blob, blockID: id, size: size))
        var headers = [("x-ms-request-server-encrypted", "true")]
        if let md5 {
            headers.append(("Content-MD5", md5.base64EncodedString()))
        } else {
            headers.append(("x-ms-content-crc64", CRC64.azureBase64(file.crc64.value)))
        }
        return ServiceResponse(status: 201, headers: headers)
    }

    func putBlockList(_ context: RequestContext, reader: RequestReader) async throws -> ServiceResponse {
        let conditions = try context.conditions
        let metadata = try context.metadata
        let blobMD5 = try ContentChecksums.parseMD5(context.header("x-ms-blob-content-md5"), header: "x-ms-blob-content-md5")
        let tier = try context.accessTier
        guard store.container(context.container) != nil else { throw ServiceError.containerNotFound() }
        guard let body = try await reader.collectBody(limitBytes: 16 << 20) else {
            throw ServiceError(status: 413, code: "RequestBodyTooLarge", message: "The request body is too large.")
        }
        stats.addBytesIn(body.readableBytes)
        let entries = try BlockListXML.parse(String(buffer: body))
        var settings = Self.contentSettings(context, contentTypeFallback: nil)
        settings.contentMD5 = blobMD5?.base64EncodedString()
        let (container, blob) = (context.container, context.blob)
        let record = try await onPool { [store, settings] in
            try store.commitBlockList(container, blob, entries: entries, settings: settings, metadata: metadata,
                                      accessTier: tier, conditions: conditions)
        }
        var headers = ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified)
        headers += [("Content-MD5", Digests.md5(Data(body.readableBytesView)).base64EncodedString()),
                    ("x-ms-request-server-encrypted", "true")]
        return ServiceResponse(status: 201, headers: headers)
    }

    /// Set Blob Metadata or Set Blob Properties (unsent content settings are cleared).
    func updateBlob(_ context: RequestContext) async throws -> ServiceResponse {
        let conditions = try context.conditions
        let isMetadata = context.route.operation == .setBlobMetadata
        let metadata = try context.metadata
        var settings = Self.contentSettings(context, contentTypeFallback: nil)
        settings.contentMD5 = try ContentChecksums.parseMD5(context.header("x-ms-blob-content-md5"),
                                                            header: "x-ms-blob-content-md5")?.base64EncodedString()
        if context.header("x-ms-blob-content-type") == nil { settings.contentType = nil }
        let (container, blob) = (context.container, context.blob)
        if try store.blob(container, blob)?.isArchived == true { throw AccessTier.blobArchived() }
        let record = try await onPool { [store, settings] in
            try store.updateBlob(container, blob, conditions: conditions) { record in
                if isMetadata { record.metadata = metadata } else { record.settings = settings }
            }
        }
        var headers = ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified)
        headers.append(("x-ms-request-server-encrypted", "true"))
        return ServiceResponse(status: 200, headers: headers)
    }

    /// Delete Blob. `x-ms-delete-snapshots: include` deletes the blob and its snapshots; `only`
    /// deletes just the snapshots and keeps the blob. This emulator keeps no snapshots, so `only`
    /// checks the blob and its conditions and deletes nothing.
    func deleteBlob(_ context: RequestContext) async throws -> ServiceResponse {
        let conditions = try context.conditions
        let (container, blob) = (context.container, context.blob)
        let snapshots = context.header("x-ms-delete-snapshots")
        switch snapshots?.trimmingSpaces().lowercased() {
        case nil, "include"?:
            try await onPool { [store] in try store.deleteBlob(container, blob, conditions: conditions) }
        case "only"?:
            guard let record = try store.blob(container, blob) else { throw ServiceError.blobNotFound() }
            if let failure = conditions.check(etag: record.etag, lastModified: record.lastModified, kind: .write) {
                throw failure
            }
        default:
            throw ServiceError.invalidHeader("x-ms-delete-snapshots", snapshots ?? "")
        }
        return ServiceResponse(status: 202, headers: [("x-ms-delete-type-permanent", "true")])
    }

    // MARK: Shared steps

    private func receive(_ context: RequestContext, reader: RequestReader, computeMD5: Bool,
                         computeCRC64: Bool) async throws -> UploadFile {
        let path = store.layout.newTemporaryPath()
        let file = try await onPool { try UploadFile(path: path, computeMD5: computeMD5, computeCRC64: computeCRC64) }
        do {
            try await BodyReceiver(reader: reader, pool: pool, stats: stats)
                .receive(into: file, corrupt: context.fault?.kind == .corruptRequest, dropAfterBytes: nil)
            file.close()
        } catch {
            file.discard()
            throw error
        }
        return file
    }

    private func refuseOversize(_ context: RequestContext, limit: Int64) throws(ServiceError) {
        if let length = context.contentLength, length > limit {
            throw ServiceError(status: 413, code: "RequestBodyTooLarge",
                               message: "The request body is too large and exceeds the maximum permissible limit.",
                               details: [("MaxLimit", String(limit))])
        }
    }

    static func contentSettings(_ context: RequestContext, contentTypeFallback: String?) -> BlobContentSettings {
        // Empty headers (AzCopy sends some) count as absent.
        func value(_ name: String) -> String? { context.header(name).flatMap { $0.isEmpty ? nil : $0 } }
        return BlobContentSettings(contentType: value("x-ms-blob-content-type") ?? contentTypeFallback ?? "application/octet-stream",
                                   contentEncoding: value("x-ms-blob-content-encoding"),
                                   contentLanguage: value("x-ms-blob-content-language"),
                                   contentDisposition: value("x-ms-blob-content-disposition"),
                                   cacheControl: value("x-ms-blob-cache-control"), contentMD5: nil)
    }
}
