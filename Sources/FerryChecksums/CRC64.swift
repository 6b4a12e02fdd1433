import CFerryCRC64
import Foundation

/// CRC-64/NVME: the checksum Azure sends as `x-ms-content-crc64` (little-endian base64) and S3 as
/// `x-amz-checksum-crc64nvme` (big-endian base64). Value type; safe to use from any thread.
public struct CRC64: Sendable, Hashable {
    /// The finished CRC of every byte given so far (0 for none).
    public private(set) var value: UInt64

    public init(value: UInt64 = 0) { self.value = value }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        value = ferry_crc64_update(value, base, bytes.count)
    }

    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    public static func checksum(_ bytes: some ContiguousBytes) -> UInt64 {
        var crc = CRC64()
        crc.update(bytes)
        return crc.value
    }

    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var crc = CRC64()
        crc.update(bytes)
        return crc.value
    }

    /// The CRC of A‖B from crc(A), crc(B) and the length of B: whole-file CRCs come from block CRCs.
    public static func combine(_ crcA: UInt64, _ crcB: UInt64, lengthOfB: Int64) -> UInt64 {
        ferry_crc64_combine(crcA, crcB, UInt64(lengthOfB))
    }

    /// Azure's `x-ms-content-crc64` form: base64 of the 8 bytes, little-endian.
    public static func azureBase64(_ value: UInt64) -> String {
        withUnsafeBytes(of: value.littleEndian) { Data($0).base64EncodedString() }
    }

    /// S3's `x-amz-checksum-crc64nvme` form: base64 of the 8 bytes, big-endian.
    public static func s3Base64(_ value: UInt64) -> String {
        withUnsafeBytes(of: value.bigEndian) { Data($0).base64EncodedString() }
    }

    /// Parses Azure's little-endian base64 form; nil if it is not 8 bytes of base64.
    public static func fromAzureBase64(_ text: String) -> UInt64? {
        guard let data = Data(base64Encoded: text), data.count == 8 else { return nil }
        return data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// Parses S3's big-endian base64 form; nil if it is not 8 bytes of base64.
    public static func fromS3Base64(_ text: String) -> UInt64? {
        guard let data = Data(base64Encoded: text), data.count == 8 else { return nil }
        return data.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }
}
