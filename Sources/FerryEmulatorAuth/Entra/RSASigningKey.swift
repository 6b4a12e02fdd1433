import COpenSSLCrypto
import Foundation

/// An RSA key pair held by libcrypto: the emulator makes one at start to sign the access tokens
/// it issues (and one for the federated tokens it mints as an external issuer). Never written
/// anywhere; tokens name it by `kid`, and its public half is published as a JWK.
/// Thread-safe: the key is immutable after init and each call uses its own EVP context
/// (libcrypto allows concurrent use of one EVP_PKEY so), hence `@unchecked Sendable`.
public final class RSASigningKey: @unchecked Sendable {
    let key: OpaquePointer
    /// The key's `kid`: base64url of the SHA-256 of its modulus, truncated (stable for this key).
    public let keyID: String

    /// Generates a fresh 2048-bit key.
    public init() throws(EntraCryptoError) {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else { throw EntraCryptoError.failed("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        var made: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) == 1,
              EVP_PKEY_keygen(context, &made) == 1, let made else { throw EntraCryptoError.failed("RSA key generation") }
        key = made
        keyID = Self.makeKeyID(made)
    }

    /// Reads a PEM private key (PKCS#8 or PKCS#1).
    public init(privateKeyPEM: String) throws(EntraCryptoError) {
        let bytes = Array(privateKeyPEM.utf8)
        let read: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let read, EVP_PKEY_get_base_id(read) == EVP_PKEY_RSA else { throw EntraCryptoError.failed("not a PEM RSA private key") }
        key = read
        keyID = Self.makeKeyID(read)
    }

    deinit { EVP_PKEY_free(key) }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`).
    public func signRS256(_ message: Data) throws(EntraCryptoError) -> Data {
        guard let context = EVP_MD_CTX_new() else { throw EntraCryptoError.failed("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw EntraCryptoError.failed("EVP_DigestSignInit") }
        var length = 0
        let bytes = Array(message)
        guard EVP_DigestSign(context, nil, &length, bytes, bytes.count) == 1 else { throw EntraCryptoError.failed("EVP_DigestSign") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1 else { throw EntraCryptoError.failed("EVP_DigestSign") }
        return Data(signature.prefix(length))
    }

    /// Checks a signature made with this key (the service checks its issuer's tokens so).
    func verify(_ signature: Data, of message: Data, algorithm: JWSAlgorithm) -> Bool {
        RSAPublicKey.verify(signature, of: message, algorithm: algorithm, key: key)
    }

    /// The public half as a JWK (`kty`, `use`, `kid`, `alg`, `n`, `e`).
    public var publicJWK: [String: String] {
        ["kty": "RSA", "use": "sig", "alg": "RS256", "kid": keyID,
         "n": Base64URL.encode(Self.parameter("n", of: key)), "e": Base64URL.encode(Self.parameter("e", of: key))]
    }

    static func parameter(_ name: String, of key: OpaquePointer) -> Data {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { return Data() }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        let written = BN_bn2bin(number, &bytes)
        return Data(bytes.prefix(Int(written)))
    }

    private static func makeKeyID(_ key: OpaquePointer) -> String {
        String(Base64URL.encode(EntraDigest.sha256(parameter("n", of: key))).prefix(27))
    }
}

/// A libcrypto call that failed; the text names the call, never key material.
public struct EntraCryptoError: Error, CustomStringConvertible, Sendable {
    public let description: String
    static func failed(_ what: String) -> EntraCryptoError {
        ERR_clear_error()
        return EntraCryptoError(description: "libcrypto: \(what) failed")
    }
}
