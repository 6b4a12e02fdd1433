import Foundation
import Testing
@testable import FerryKit

/// The client assertion a certificate principal signs: thumbprints and RS256 signatures checked
/// with the `openssl` tool, not with the code that made them.
@Suite struct ClientAssertionTests {
    @Test func thumbprintsMatchOpenSSLFingerprints() throws {
        try withTemporaryDirectory { directory in
            let path = try OpenSSLTool.makeCertificate(in: directory)
            let certificate = try ClientCertificate(pem: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            #expect(certificate.sha1Thumbprint == (try OpenSSLTool.fingerprint(of: "cert.pem", digest: "sha1", in: directory)))
            #expect(certificate.sha256Thumbprint == (try OpenSSLTool.fingerprint(of: "cert.pem", digest: "sha256", in: directory)))
            #expect(certificate.sha1Thumbprint.count == 20 && certificate.sha256Thumbprint.count == 32)
            #expect(!"\(certificate)".contains("PRIVATE"))
        }
    }

    @Test func assertionHeaderClaimsAndSignature() throws {
        try withTemporaryDirectory { directory in
            let path = try OpenSSLTool.makeCertificate(in: directory)
            let certificate = try ClientCertificate(pem: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            let issuedAt = Date(timeIntervalSince1970: 1_800_000_000)
            let audience = "https://127.0.0.1:8443/tenant-a/oauth2/v2.0/token"
            let assertion = try ClientAssertion(clientID: "app-1", audience: audience, issuedAt: issuedAt).signed(with: certificate)
            let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            #expect(parts.count == 3)

            let headerJSON = try #require(Base64URL.decode(parts[0]))
            let header = try #require(try JSONSerialization.jsonObject(with: headerJSON) as? [String: Any])
            #expect(header["alg"] as? String == "RS256")
            #expect(header["typ"] as? String == "JWT")
            #expect(header["x5t"] as? String == Base64URL.encode(try OpenSSLTool.fingerprint(of: "cert.pem", digest: "sha1", in: directory)))
            #expect(header["x5t#S256"] as? String
                    == Base64URL.encode(try OpenSSLTool.fingerprint(of: "cert.pem", digest: "sha256", in: directory)))

            let claimsJSON = try #require(Base64URL.decode(parts[1]))
            let claims = try #require(try JSONSerialization.jsonObject(with: claimsJSON) as? [String: Any])
            #expect(claims["aud"] as? String == audience)
            #expect(claims["iss"] as? String == "app-1")
            #expect(claims["sub"] as? String == "app-1")
            #expect(UUID(uuidString: claims["jti"] as? String ?? "") != nil)
            #expect((claims["nbf"] as? NSNumber)?.intValue == 1_800_000_000)
            #expect((claims["iat"] as? NSNumber)?.intValue == 1_800_000_000)
            #expect((claims["exp"] as? NSNumber)?.intValue == 1_800_000_600)

            // Verified by openssl with the certificate's public key.
            try writeFile(directory + "/signed.txt", Data((parts[0] + "." + parts[1]).utf8))
            try writeFile(directory + "/signature.bin", try #require(Base64URL.decode(parts[2])))
            try OpenSSLTool.run(["x509", "-in", "cert.pem", "-noout", "-pubkey", "-out", "public.pem"], in: directory)
            let verdict = try OpenSSLTool.run(["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.bin", "signed.txt"],
                                              in: directory)
            #expect(verdict.contains("Verified OK"))
            // And a changed claim does not verify.
            try writeFile(directory + "/signed.txt", Data((parts[0] + "." + parts[1] + "x").utf8))
            #expect(throws: FerryError.self) {
                try OpenSSLTool.run(["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.bin", "signed.txt"], in: directory)
            }
        }
    }

    @Test func eachAssertionHasItsOwnJWTID() throws {
        let first = ClientAssertion(clientID: "a", audience: "https://x/t/oauth2/v2.0/token", issuedAt: Date())
        let second = ClientAssertion(clientID: "a", audience: "https://x/t/oauth2/v2.0/token", issuedAt: Date())
        #expect(first.jwtID != second.jwtID)
    }

    @Test func unusableCertificateFilesAreOneLineErrorsWithoutTheirContent() throws {
        try withTemporaryDirectory { directory in
            _ = try OpenSSLTool.makeCertificate(in: directory)
            let keyOnly = try Data(contentsOf: URL(fileURLWithPath: directory + "/key.pem"))
            let certOnly = try Data(contentsOf: URL(fileURLWithPath: directory + "/cert.pem"))
            for (pem, expected) in [(keyOnly, "no PEM certificate"), (certOnly, "no unencrypted PEM private key")] {
                do {
                    _ = try ClientCertificate(pem: pem, path: "/secrets/principal.pem")
                    Issue.record("accepted an incomplete PEM")
                } catch let error as FerryError {
                    #expect(error.code == .authenticationFailed)
                    #expect(error.message.contains(expected))
                    #expect(error.message.contains("/secrets/principal.pem"))
                    #expect(!error.message.contains("BEGIN") && !error.message.contains("\n"))
                }
            }
            // An EC key is refused: Entra ID assertions here are RS256.
            let ecDirectory = directory + "/ec"
            try FileManager.default.createDirectory(atPath: ecDirectory, withIntermediateDirectories: true)
            let ecPath = try OpenSSLTool.makeCertificate(in: ecDirectory,
                                                         key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
            do {
                _ = try ClientCertificate(pem: try Data(contentsOf: URL(fileURLWithPath: ecPath)), path: ecPath)
                Issue.record("accepted an EC key")
            } catch let error as FerryError {
                #expect(error.message.contains("not RSA"))
            }
        }
    }
}
