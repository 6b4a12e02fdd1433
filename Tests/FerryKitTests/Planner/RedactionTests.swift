import Testing
@testable import FerryKit

@Suite struct RedactionTests {
    @Test func urlsLoseSignaturesPasswordsAndUnknownParameters() {
        let redacted = Redaction.url("https://user:pw@acct.blob.core.windows.net/c/p?sv=2024&sp=rw&sig=SIG&X-Amz-Signature=AWS&token=TOK")
        #expect(redacted == "https://REDACTED@acct.blob.core.windows.net/c/p?sv=2024&sp=rw&sig=REDACTED&X-Amz-Signature=REDACTED&token=REDACTED")
        #expect(Redaction.url("/local/path") == "/local/path")
    }

    @Test func commandLinesLoseSecretsInAnyPosition() {
        let line = Redaction.commandLine(["ferry", "copy", "./a b", "http://h/c?sig=S1", "--source=http://h/x?sig=S2",
                                          "--bearer-token", "S3"])
        for secret in ["S1", "S2", "S3"] { #expect(!line.contains(secret)) }
        #expect(line.contains("'./a b'"))
    }

    @Test func entraSecretsAreRemovedFromFreeText() {
        let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL3N0b3JhZ2UuYXp1cmUuY29tIn0.c2lnbmF0dXJlLWJ5dGVz"
        let text = """
        POST body client_id=app&client_secret=Pl4nted~Secret&client_assertion=ASSERTION-VALUE&scope=x \
        {"access_token":"OPAQUE-TOKEN","expires_in":3599} {"accessToken":"CLI-TOKEN"} X-IDENTITY-HEADER: IDENTITY-HEADER-VALUE \
        Authorization: Bearer BEARER-VALUE federated \(jwt) end
        -----BEGIN CERTIFICATE-----
        MIIBpublic
        -----END CERTIFICATE-----
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
        -----END PRIVATE KEY-----
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEA
        -----END RSA PRIVATE KEY-----
        """
        let redacted = Redaction.text(text)
        for secret in ["Pl4nted~Secret", "ASSERTION-VALUE", "OPAQUE-TOKEN", "CLI-TOKEN", "IDENTITY-HEADER-VALUE", "BEARER-VALUE",
                       "eyJhdWQiOiJodHRwczovL3N0b3JhZ2UuYXp1cmUuY29tIn0", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEowIBAAKCAQEA"] {
            #expect(!redacted.contains(secret), "\(secret) survived")
        }
        #expect(redacted.contains("client_id=app"))
        #expect(redacted.contains("MIIBpublic"))  // certificates are public
        #expect(redacted.contains("federated REDACTED end"))
    }

    @Test func textWithoutTokensIsUnchanged() {
        let text = "uploading https://acct.blob.core.windows.net/c/eyJ-not-a-token.bin failed (403 AuthorizationPermissionMismatch)"
        #expect(Redaction.text(text) == text)
    }
}
