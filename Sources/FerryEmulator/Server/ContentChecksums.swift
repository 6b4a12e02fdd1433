import FerryChecksums
import Foundation

/// The checksums a client sent with content (`Content-MD5` or `x-ms-content-crc64`, not both)
/// and their verification against what the server computed (PROTOCOLS.md A9). Value type.
struct ContentChecksums {
    var md5: Data?
    var crc64: UInt64?

    init(md5: Data?, crc64: UInt64?) {
        self.md5 = md5
        self.crc64 = crc64
    }

    init(_ context: RequestContext) throws(ServiceError) {
        let md5Text = context.header("content-md5")
        let crcText = context.header("x-ms-content-crc64")
        if md5Text != nil && crcText != nil {
            throw ServiceError(status: 400, code: "BothCrc64AndMd5HeaderPresent",
                               message: "Both x-ms-content-crc64 header and Content-MD5 header are present.")
        }
        md5 = try Self.parseMD5(md5Text, header: "Content-MD5")
        if let crcText {
            guard let value = CRC64.fromAzureBase64(crcText.trimmingSpaces()) else {
                throw ServiceError.invalidHeader("x-ms-content-crc64", crcText)
            }
            crc64 = value
        }
    }

    static func parseMD5(_ text: String?, header: String) throws(ServiceError) -> Data? {
        // AzCopy sends an empty x-ms-blob-content-md5 when it has no MD5: that means none.
        guard let text, !text.trimmingSpaces().isEmpty else { return nil }
        guard let data = Data(base64Encoded: text.trimmingSpaces()), data.count == 16 else {
            throw ServiceError(status: 400, code: "InvalidMd5", message: "The MD5 value specified in the request is invalid.",
                               details: [("HeaderName", header), ("HeaderValue", text)])
        }
        return data
    }

    func verify(md5 computedMD5: Data?, crc64 computedCRC: UInt64) throws(ServiceError) {
        if let md5, let computedMD5, md5 != computedMD5 {
            throw ServiceError(status: 400, code: "Md5Mismatch",
                               message: "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
                               details: [("UserSpecifiedMd5", md5.base64EncodedString()),
                                         ("ServerCalculatedMd5", computedMD5.base64EncodedString())])
        }
        if let crc64, crc64 != computedCRC {
            throw ServiceError(status: 400, code: "Crc64Mismatch",
                               message: "The CRC64 value specified in the request did not match with the CRC64 value calculated by the server.",
                               details: [("UserSpecifiedCrc64", CRC64.azureBase64(crc64)),
                                         ("ServerCalculatedCrc64", CRC64.azureBase64(computedCRC))])
        }
    }
}
