import FerryChecksums
import FerryHTTP
import Foundation

/// Turns what the service says about a blob (HEAD/GET headers, listing entries) into `ObjectInfo`.
/// Stateless; safe from any thread.
enum AzureBlobProperties {
    static let metadataHeaderPrefix = "x-ms-meta-"

    /// From Get Blob Properties (HEAD) response headers (names already lower-cased).
    static func objectInfo(path: String, headers: [String: String]) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix(metadataHeaderPrefix) {
            metadata[String(name.dropFirst(metadataHeaderPrefix.count))] = value
        }
        return ObjectInfo(
            path: path,
            sizeBytes: headers["content-length"].flatMap { Int64($0) } ?? 0,
            lastModified: headers["last-modified"].flatMap(HTTPDate.parse),
            contentMD5: headers["content-md5"].flatMap { Data(base64Encoded: $0) },
            crc64: crc64(in: metadata),
            etag: headers["etag"].map(unquote),
            contentType: headers["content-type"],
            metadata: metadata)
    }

    /// From one blob of a listing page.
    static func objectInfo(path: String, listed blob: AzureListingPage.Blob) -> ObjectInfo {
        ObjectInfo(path: path, sizeBytes: blob.sizeBytes, lastModified: blob.lastModified, contentMD5: blob.contentMD5,
                   crc64: crc64(in: blob.metadata), etag: blob.etag, contentType: blob.contentType,
                   metadata: blob.metadata)
    }

    /// The whole-object CRC-64 Ferry stored as metadata `ferrycrc64`, if present and well-formed.
    static func crc64(in metadata: [String: String]) -> UInt64? {
        metadata[ObjectProperties.crc64MetadataKey].flatMap(CRC64.fromAzureBase64)
    }

    /// ETags are quoted in headers and bare in listings; Ferry keeps them bare.
    static func unquote(_ etag: String) -> String {
        var text = etag
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// The request headers that set a blob's content type, MD5 and metadata on Put Blob / Put Block List.
    static func headers(for properties: ObjectProperties) -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        headers.append(HTTPHeader("x-ms-blob-content-type", properties.contentType ?? "application/octet-stream"))
        if let md5 = properties.contentMD5 {
            headers.append(HTTPHeader("x-ms-blob-content-md5", md5.base64EncodedString()))
        }
        var metadata = properties.metadata
        if let crc = properties.crc64 {
            metadata[ObjectProperties.crc64MetadataKey] = CRC64.azureBase64(crc)
        }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(HTTPHeader(metadataHeaderPrefix + name.lowercased(), value))
        }
        if properties.mustNotExist {
            headers.append(HTTPHeader("If-None-Match", "*"))
        }
        if let tier = properties.accessTier {
            headers.append(HTTPHeader("x-ms-access-tier", tier.headerValue))
        }
        return headers
    }
}
