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
}
