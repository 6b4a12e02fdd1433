import COpenSSLCrypto
import Foundation

/// JWS algorithms the issuer accepts in client assertions: MSAL signs `RS256` with a PEM key and
/// `PS256` with a `.pfx` (ENTRA-RBAC.md §1.4).
enum JWSAlgorithm: String, Sendable { case rs256 = "RS256", ps256 = "PS256" }

/// The public key of a principal's registered certificate, with the certificate's thumbprints
/// (`x5t` = SHA-1 of the DER, `x5t#S256` = SHA-256), which name it in a client assertion's header.
/// Thread-safe: immutable after init; each verification uses its own EVP context.
final class RSAPublicKey: @unchecked Sendable {
    private let key: OpaquePointer
    let sha1Thumbprint: Data
    let sha256Thumbprint: Data

    /// Reads the first certificate of a PEM file's text (a combined key+certificate file works too).
    init(certificatePEM: String) throws(EntraCryptoError) {
        let bytes = Array(certificatePEM.utf8)
        let certificate: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        guard let certificate else { throw EntraCryptoError.failed("no PEM certificate") }
        defer { X509_free(certificate) }
        var derPointer: UnsafeMutablePointer<UInt8>?
        let derLength = i2d_X509(certificate, &derPointer)
        guard derLength > 0, let derPointer else { throw EntraCryptoError.failed("i2d_X509") }
        let der = Data(bytes: derPointer, count: Int(derLength))
        CRYPTO_free(derPointer, nil, 0)
        guard let publicKey = X509_get_pubkey(certificate), EVP_PKEY_get_base_id(publicKey) == EVP_PKEY_RSA else {
            throw EntraCryptoError.failed("the certificate's key is not RSA")
        }
        key = publicKey
        sha1Thumbprint = EntraDigest.sha1(der)
        sha256Thumbprint = EntraDigest.sha256(der)
    }

    deinit { EVP_PKEY_free(key) }

    func verify(_ signature: Data, of message: Data, algorithm: JWSAlgorithm) -> Bool {
        Self.verify(signature, of: message, algorithm: algorithm, key: key)
    }

    static func verify(_ signature: Data, of message: Data, algorithm: JWSAlgorithm, key: OpaquePointer) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, EVP_sha256(), nil, key) == 1 else { ERR_clear_error(); return false }
        if algorithm == .ps256 {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1 else { ERR_clear_error(); return false }
        }
        let signatureBytes = Array(signature)
        let messageBytes = Array(message)
        let verdict = EVP_DigestVerify(context, signatureBytes, signatureBytes.count, messageBytes, messageBytes.count)
        ERR_clear_error()
        return verdict == 1
    }
}

/// SHA-1 and SHA-256 through EVP (SHA-1 only for certificate thumbprints, as Entra names them).
enum EntraDigest {
    static func sha1(_ data: Data) -> Data { digest(data, EVP_sha1()) }
    static func sha256(_ data: Data) -> Data { digest(data, EVP_sha256()) }

    private static func digest(_ data: Data, _ type: OpaquePointer?) -> Data {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(data)
        guard EVP_Digest(bytes, bytes.count, &output, &length, type, nil) == 1 else { return Data() }
        return Data(output.prefix(Int(length)))
    }
}
