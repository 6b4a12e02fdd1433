import COpenSSLCrypto
import Foundation

/// A streaming OpenSSL message digest (MD5 or SHA-256). Not thread-safe: one owner at a time.
/// The class owns the EVP context and frees it in `deinit`.
public final class StreamingDigest {
    public enum Algorithm: Sendable { case md5, sha256 }

    private let context: OpaquePointer
    public let algorithm: Algorithm

    public init(_ algorithm: Algorithm) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        self.context = context
        let md = algorithm == .md5 ? EVP_md5() : EVP_sha256()
        EVP_DigestInit_ex(context, md, nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest; the object must not be updated afterwards.
    public func finalize() -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Data(out.prefix(Int(length)))
    }
}

/// One-shot digests and HMAC. Stateless; safe from any thread.
public enum Digests {
    public static func md5(_ bytes: some ContiguousBytes) -> Data {
        let digest = StreamingDigest(.md5)
        digest.update(bytes)
        return digest.finalize()
    }

    public static func sha256(_ bytes: some ContiguousBytes) -> Data {
        let digest = StreamingDigest(.sha256)
        digest.update(bytes)
        return digest.finalize()
    }

    public static func hmacSHA256(key: some ContiguousBytes, message: some ContiguousBytes) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                _ = HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                         messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                         &out, &length)
            }
        }
        return Data(out.prefix(Int(length)))
    }

    public static func hmacSHA256(key: some ContiguousBytes, message: String) -> Data {
        hmacSHA256(key: key, message: Data(message.utf8))
    }

    /// Lower-case hex. By table, not `String(format:)`: SigV4 hexes three digests per request, and
    /// the formatted version cost more CPU than uploading a 30 KiB file.
    public static func hex(_ data: Data) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(data.count * 2)
        for byte in data {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
