import FerryChecksums
import FerryHTTP
import Foundation

/// Turns HeadObject/GetObject headers into `ObjectInfo`, and `ObjectProperties` into the headers
/// that store them (PutObject, CreateMultipartUpload, CopyObject). Stateless; safe from any thread.
enum S3ObjectHeaders {
    static let metadataHeaderPrefix = "x-amz-meta-"
    static let crc64ChecksumHeader = "x-amz-checksum-crc64nvme"
    static let defaultContentType = "application/octet-stream"

    /// From HeadObject response headers (names already lower-cased). The whole-object CRC-64 is
    /// Ferry's `ferrycrc64` metadata if present, else S3's own `x-amz-checksum-crc64nvme` (always
    /// a whole-object value: CRC64NVME exists only as FULL_OBJECT), which a multipart upload gets
    /// at Complete time, when the metadata could no longer be set.
    static func objectInfo(path: String, headers: [String: String]) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix(metadataHeaderPrefix) {
            metadata[String(name.dropFirst(metadataHeaderPrefix.count))] = value
        }
        let storedCRC = metadata[ObjectProperties.crc64MetadataKey].flatMap(CRC64.fromAzureBase64)
        return ObjectInfo(
            path: path,
            sizeBytes: headers["content-length"].flatMap { Int64($0) } ?? 0,
            lastModified: headers["last-modified"].flatMap(HTTPDate.parse),
            crc64: storedCRC ?? headers[crc64ChecksumHeader].flatMap(CRC64.fromS3Base64),
            etag: headers["etag"].map(unquote),
            contentType: headers["content-type"],
            metadata: metadata)
    }

    /// ETags are quoted on the wire; Ferry's `ObjectInfo.etag` keeps them bare.
    static func unquote(_ etag: String) -> String {
        var text = etag
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// Content type, user metadata and `x-amz-meta-ferrycrc64` (Azure's little-endian base64 form,
    /// the same on every backend so metadata copies across unchanged). User metadata names are
    /// lower-cased, as S3 stores them.
    static func propertyHeaders(_ properties: ObjectProperties) -> [HTTPHeader] {
        var headers = [HTTPHeader("Content-Type", properties.contentType ?? defaultContentType)]
        var metadata = properties.metadata
        if let crc = properties.crc64 {
            metadata[ObjectProperties.crc64MetadataKey] = CRC64.azureBase64(crc)
        }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(HTTPHeader(metadataHeaderPrefix + name.lowercased(), value))
        }
        return headers
    }

    /// Whether `properties` asks for more than the multipart upload was created with (its CRC
    /// goes in as S3's FULL_OBJECT checksum at Complete, so only content type and metadata count).
    static func needsMetadataRewrite(_ properties: ObjectProperties, createdWith created: ObjectProperties) -> Bool {
        properties.metadata != created.metadata
            || (properties.contentType ?? defaultContentType) != (created.contentType ?? defaultContentType)
    }
}
