import FerryChecksums
import Foundation
import NIOCore

extension BlobService {
    static let maximumChecksummedRangeBytes: Int64 = 4 * 1024 * 1024

    /// Get Blob (GET) and Get Blob Properties (HEAD): conditions, ranges, checksums (A6, A11).
    func getBlob(_ context: RequestContext) async throws -> ServiceResponse {
        guard let record = try store.blob(context.container, context.blob) else { throw ServiceError.blobNotFound() }
        if let failure = try context.conditions.check(etag: record.etag, lastModified: record.lastModified, kind: .read) {
            throw failure
        }
        var headers = ResponseHeaders.blobProperties(record)
        if context.route.operation == .getBlobProperties {
            headers += ResponseHeaders.tier(record)
            if let md5 = record.settings.contentMD5 { headers.append(("Content-MD5", md5)) }
            var response = ServiceResponse(status: 200, headers: headers)
            if context.isHead { response.announcedLength = record.size }
            return response
        }
        if record.isArchived { throw AccessTier.blobArchived() }
        let range = ByteRange.fromHeaders(xmsRange: context.header("x-ms-range"), range: context.header("range"))
        guard let range else {
            if let md5 = record.settings.contentMD5 { headers.append(("Content-MD5", md5)) }
            return ServiceResponse(status: 200, headers: headers, body: .blobContent(Self.segments(record, from: 0, through: record.size - 1, layout: store.layout)))
        }
        switch range.resolve(size: record.size) {
        case .whole, .unsatisfiable:
            throw ServiceError(status: 416, code: "InvalidRange", message: "The range specified is invalid for the current size of the resource.",
                               headers: [("Content-Range", "bytes */\(record.size)")])
        case .partial(let start, let end):
            let segments = Self.segments(record, from: start, through: end, layout: store.layout)
            headers.append(("Content-Range", "bytes \(start)-\(end)/\(record.size)"))
            if let md5 = record.settings.contentMD5 { headers.append(("x-ms-blob-content-md5", md5)) }
            let wantsMD5 = context.header("x-ms-range-get-content-md5")?.lowercased() == "true"
            let wantsCRC = context.header("x-ms-range-get-content-crc64")?.lowercased() == "true"
            if wantsMD5 && wantsCRC {
                throw ServiceError(status: 400, code: "InvalidHeaderValue",
                                   message: "x-ms-range-get-content-md5 and x-ms-range-get-content-crc64 cannot both be true.")
            }
            if wantsMD5 || wantsCRC {
                guard end - start + 1 <= Self.maximumChecksummedRangeBytes else {
                    throw ServiceError(status: 400, code: "OutOfRangeInput",
                                       message: "The range for a checksummed read must be 4 MiB or less.")
                }
                let digests = try await ContentSender.digests(segments, md5: wantsMD5, pool: pool)
                if let md5 = digests.md5 { headers.append(("Content-MD5", md5.base64EncodedString())) }
                if wantsCRC { headers.append(("x-ms-content-crc64", CRC64.azureBase64(digests.crc64))) }
            }
            return ServiceResponse(status: 206, headers: headers, body: .blobContent(segments))
        }
    }

    func getBlockList(_ context: RequestContext) async throws -> ServiceResponse {
        let kind = (context.query("blocklisttype") ?? "committed").lowercased()
        guard ["committed", "uncommitted", "all"].contains(kind) else {
            throw ServiceError(status: 400, code: "InvalidQueryParameterValue",
                               message: "Value for one of the query parameters specified in the request URI is invalid.",
                               details: [("QueryParameterName", "blocklisttype"), ("QueryParameterValue", kind)])
        }
        let (container, blob) = (context.container, context.blob)
        let lists = try await onPool { [store] in try store.blockLists(container, blob) }
        if let record = lists.record,
           let failure = try context.conditions.check(etag: record.etag, lastModified: record.lastModified, kind: .read) {
            throw failure
        }
        let xml = BlockListXML.render(committed: kind == "uncommitted" ? nil : lists.committed,
                                      uncommitted: kind == "committed" ? nil : lists.uncommitted)
        var headers = [("x-ms-blob-content-length", String(lists.record?.size ?? 0))]
        if let record = lists.record { headers += ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified) }
        return .xml(200, xml, headers: headers)
    }

    /// The data-file spans holding bytes `start…end` (inclusive) of the blob.
    static func segments(_ record: BlobRecord, from start: Int64, through end: Int64, layout: StorageLayout) -> [ContentSegment] {
        guard end >= start else { return [] }
        var segments: [ContentSegment] = []
        var blockStart: Int64 = 0
        for block in record.blocks {
            let blockEnd = blockStart + block.size - 1
            if blockEnd >= start && blockStart <= end && block.size > 0 {
                let from = max(start, blockStart)
                let through = min(end, blockEnd)
                segments.append(ContentSegment(path: layout.dataPath(block.file), offset: from - blockStart, length: through - from + 1))
            }
            blockStart += block.size
            if blockStart > end { break }
        }
        return segments
    }
}
