import FerryChecksums
import FerryHTTP
import Foundation

/// Writes one block blob: whole (Put Blob) or as staged blocks committed by Put Block List.
/// Blocks are addressed by ID alone, so there is no resume token; `stagedBlocks` asks the service.
/// Thread-safe: immutable; concurrent `stage` calls are independent requests.
struct AzureBlockBlobWriter: ObjectWriter {
    let client: AzureBlobClient
    let blobName: String

    var resumeToken: String? { nil }
    private var target: String { client.describe(blobName: blobName) }

    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums, properties: ObjectProperties,
                    meter: any TransferMeter) throws {
        var headers = [HTTPHeader("x-ms-blob-type", "BlockBlob"),
                       HTTPHeader("x-ms-content-crc64", CRC64.azureBase64(checksums.crc64))]
        var stored = properties
        stored.crc64 = properties.crc64 ?? checksums.crc64
        if stored.contentMD5 == nil, let md5 = checksums.md5 { stored.contentMD5 = md5 }
        headers += AzureBlobProperties.headers(for: stored)
        let operation = "uploading"
        let response = try client.send("PUT", blobName: blobName, headers: headers, body: data, meter: meter,
                                       operation: operation)
        try client.require(response, [201], operation: operation, blobName: blobName)
    }

    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums,
               meter: any TransferMeter) throws -> String? {
        precondition(!block.id.isEmpty, "a block is staged under the ID of its bytes (BlockRef.withContent)")
        let operation = "uploading block \(block.index) of"
        let response = try client.send("PUT", blobName: blobName, query: [("comp", "block"), ("blockid", block.id)],
                                       headers: [HTTPHeader("x-ms-content-crc64", CRC64.azureBase64(checksums.crc64))],
                                       body: data, meter: meter, operation: operation)
        try client.require(response, [201], operation: operation, blobName: blobName)
        return nil
    }

    func stagedBlocks() throws -> [StagedBlock] {
        let operation = "listing staged blocks of"
        let response = try client.send("GET", blobName: blobName,
                                       query: [("comp", "blocklist"), ("blocklisttype", "uncommitted")],
                                       operation: operation)
        if response.status == 404 { return [] }
        try client.require(response, [200], operation: operation, blobName: blobName)
        do {
            return try AzureBlockList.parse(response.body).uncommitted.map { StagedBlock(id: $0.id, sizeBytes: $0.sizeBytes) }
        } catch {
            throw FerryError(.protocolViolation, "\(operation) \(target) failed: the block list is not valid XML",
                             disposition: .retry, cause: "\(error)")
        }
    }

    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws {
        let body = AzureBlockList.commitBody(blockIDs: blocks.map(\.id))
        let operation = "committing"
        let response = try body.withUnsafeBytes { bytes in
            try client.send("PUT", blobName: blobName, query: [("comp", "blocklist")],
                            headers: AzureBlobProperties.headers(for: properties), body: bytes, operation: operation)
        }
        try client.require(response, [201], operation: operation, blobName: blobName)
    }

    /// Drops the staged blocks by deleting the blob, but only when the blob has no committed
    /// version: an earlier good blob is never destroyed (its staged blocks expire on their own).
    func abort() throws {
        let probe = try client.send("HEAD", blobName: blobName, operation: "checking before abandoning")
        guard probe.status == 404 else {
            try client.require(probe, [200], operation: "checking before abandoning", blobName: blobName)
            return
        }
        let operation = "abandoning the upload of"
        let response = try client.send("DELETE", blobName: blobName, operation: operation)
        if response.status == 404 { return }
        try client.require(response, [202], operation: operation, blobName: blobName)
    }
}
