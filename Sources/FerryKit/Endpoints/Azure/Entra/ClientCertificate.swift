import COpenSSLCrypto
import Foundation

/// A service principal's certificate and RSA private key, read from one PEM file, through
/// libcrypto: the SHA-1 and SHA-256 thumbprints of the certificate's DER (a client assertion's
/// `x5t` and `x5t#S256`) and RS256 signatures with the key. Owns its OpenSSL objects and frees
/// them. Thread-safe: signing takes a lock (one digest context at a time per key). Its description
/// shows the thumbprint, never the key.
final class ClientCertificate: @unchecked Sendable, CustomStringConvertible {
    private let certificate: OpaquePointer
    private let privateKey: OpaquePointer
    private let lock = NSLock()
    /// SHA-1 and SHA-256 of the certificate's DER encoding.
    let sha1Thumbprint: Data
    let sha256Thumbprint: Data

    /// Reads the first certificate and the private key in `pem` (PKCS#8 or PKCS#1, unencrypted).
    /// `path` only names the file in errors; nothing of the file's content is ever put in one.
    init(pem: Data, path: String) throws {
        func unusable(_ reason: String) -> FerryError {
            FerryError(.authenticationFailed, "the certificate file '\(path)' (AZURE_CLIENT_CERTIFICATE_PATH) \(reason)",
                       disposition: .abortJob)
        }
        guard let certificate = Self.read(pem, { bio in PEM_read_bio_X509(bio, nil, nil, nil) }) else {
            throw unusable("holds no PEM certificate")
        }
        // No password callback prompt: a callback that gives no password makes an encrypted key fail.
        guard let privateKey = Self.read(pem, { bio in PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil) }) else {
            X509_free(certificate)
            throw unusable("holds no unencrypted PEM private key (export it with the certificate, without a password)")
        }
        guard EVP_PKEY_get_base_id(privateKey) == EVP_PKEY_RSA else {
            X509_free(certificate)
            EVP_PKEY_free(privateKey)
            throw unusable("holds a key that is not RSA: Entra ID client assertions are signed RS256")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        sha1Thumbprint = Self.digest(certificate, EVP_sha1())
        sha256Thumbprint = Self.digest(certificate, EVP_sha256())
        ERR_clear_error()
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(privateKey)
    }

    var description: String { "ClientCertificate(x5t \(Base64URL.encode(sha1Thumbprint)), <private key redacted>)" }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`) over `message`.
    func signRS256(_ message: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        guard let context = EVP_MD_CTX_new() else { throw Self.signingFailed() }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, privateKey) == 1 else { throw Self.signingFailed() }
        let updated = message.withUnsafeBytes { bytes in EVP_DigestSignUpdate(context, bytes.baseAddress, bytes.count) }
        guard updated == 1 else { throw Self.signingFailed() }
        var length = 0
        guard EVP_DigestSignFinal(context, nil, &length) == 1 else { throw Self.signingFailed() }
        var signature = Data(count: length)
        let finished = signature.withUnsafeMutableBytes { bytes in
            EVP_DigestSignFinal(context, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
        }
        guard finished == 1 else { throw Self.signingFailed() }
        return signature.prefix(length)
    }

    private static func signingFailed() -> FerryError {
        ERR_clear_error()
        return FerryError(.internal, "signing the client assertion with the certificate's key failed", disposition: .abortJob)
    }

    /// Runs `read` on a memory BIO over `pem`.
    private static func read(_ pem: Data, _ read: (OpaquePointer?) -> OpaquePointer?) -> OpaquePointer? {
        pem.withUnsafeBytes { bytes -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    private static func digest(_ certificate: OpaquePointer, _ type: OpaquePointer?) -> Data {
        var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = X509_digest(certificate, type, &buffer, &length)
        return Data(buffer.prefix(Int(length)))
    }
}
