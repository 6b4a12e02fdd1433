import NIOSSL

/// Loads `--tls-cert` (a PEM chain, leaf first) and `--tls-key` (a PEM private key) into one
/// server context. Stateless.
enum TLSFiles {
    static func serverContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        guard !chain.isEmpty else { throw TLSFilesError(description: "\(certificatePath) holds no PEM certificate") }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

struct TLSFilesError: Error, CustomStringConvertible {
    var description: String
}
