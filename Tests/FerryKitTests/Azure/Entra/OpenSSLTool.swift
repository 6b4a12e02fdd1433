import Foundation
@testable import FerryKit

/// The `openssl` command-line tool, as an independent check of what Ferry computes with libcrypto
/// (thumbprints, RS256 signatures). A missing tool is a failure, not a skip.
enum OpenSSLTool {
    /// Runs `openssl arguments…` in `directory`; returns standard output, throws on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], in directory: String, input: Data? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FerryError(.internal, "openssl \(arguments.joined(separator: " ")) exited \(process.terminationStatus)",
                             disposition: .abortJob)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A self-signed RSA certificate and its key in `directory`: cert.pem, key.pem, and
    /// combined.pem (certificate then key, as AZURE_CLIENT_CERTIFICATE_PATH holds them).
    static func makeCertificate(in directory: String, key: [String] = ["-newkey", "rsa:2048"]) throws -> String {
        try run(["req", "-x509"] + key + ["-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                 "-days", "2", "-subj", "/CN=ferry-test-principal"], in: directory)
        let combined = try Data(contentsOf: URL(fileURLWithPath: directory + "/cert.pem"))
            + Data(contentsOf: URL(fileURLWithPath: directory + "/key.pem"))
        try writeFile(directory + "/combined.pem", combined)
        return directory + "/combined.pem"
    }

    /// `AB:CD:…` from `openssl x509 -fingerprint` as bytes.
    static func fingerprint(of certificate: String, digest: String, in directory: String) throws -> Data {
        let line = try run(["x509", "-in", certificate, "-noout", "-fingerprint", "-\(digest)"], in: directory)
        let hex = line.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return Data(hex.split(separator: ":").compactMap { UInt8($0, radix: 16) })
    }
}
