import FerryChecksums
import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

@Suite struct S3SignerTests {
    /// PROTOCOLS.md B2.5: the AWS documentation's GET Object example.
    static let vectorSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let vectorDate = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func publishedVectorCanonicalRequestAndSignature() {
        let headers = [HTTPHeader("host", "examplebucket.s3.amazonaws.com"), HTTPHeader("Range", "bytes=0-9"),
                       HTTPHeader("x-amz-content-sha256", S3Signer.emptyPayloadHash),
                       HTTPHeader("x-amz-date", "20130524T000000Z")]
        let canonical = S3Signer.canonicalRequest(method: "GET", encodedPath: "/test.txt", query: [], headers: headers,
                                                  payloadHash: S3Signer.emptyPayloadHash)
        #expect(canonical.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
        #expect(Digests.hex(Digests.sha256(Data(canonical.text.utf8)))
                == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        let stringToSign = S3Signer.stringToSign(timestamp: "20130524T000000Z", scope: "20130524/us-east-1/s3/aws4_request",
                                                 canonicalRequest: canonical.text)
        let key = S3Signer.signingKey(secret: Self.vectorSecret, dateStamp: "20130524", region: "us-east-1")
        #expect(Digests.hex(Digests.hmacSHA256(key: key, message: stringToSign))
                == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func signAddsTheAuthorizationOfThePublishedVector() {
        let signer = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secret: Self.vectorSecret, sessionToken: nil,
                              region: "us-east-1")
        let headers = signer.sign(method: "GET", host: "examplebucket.s3.amazonaws.com", encodedPath: "/test.txt",
                                  query: [], headers: [HTTPHeader("Range", "bytes=0-9")],
                                  payloadHash: S3Signer.emptyPayloadHash, date: Self.vectorDate)
        let authorization = headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers.contains(HTTPHeader("x-amz-date", "20130524T000000Z")))
        #expect(!headers.contains { $0.name == "x-amz-security-token" })
    }

    @Test func sessionTokenIsSentAndSigned() {
        let signer = S3Signer(accessKeyID: "AKID", secret: "s", sessionToken: "TOKEN123", region: "eu-west-1")
        let headers = signer.sign(method: "PUT", host: "h", encodedPath: "/b/k", query: [], headers: [],
                                  payloadHash: S3Signer.unsignedPayload, date: Self.vectorDate)
        #expect(headers.contains(HTTPHeader("x-amz-security-token", "TOKEN123")))
        let authorization = headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(authorization.contains("/20130524/eu-west-1/s3/aws4_request"))
        #expect(!authorization.contains("TOKEN123"))
    }

    @Test func uriComponentEncoding() {
        #expect(S3Signer.encode("a b/c~d+e=f_g-h.i") == "a%20b%2Fc~d%2Be%3Df_g-h.i")
        #expect(S3Signer.encode("ü*") == "%C3%BC%2A")
        #expect(S3Signer.encodePath("dir/a b/ü.txt") == "dir/a%20b/%C3%BC.txt")
        #expect(S3Signer.encodePath("a//b/") == "a//b/")
    }

    @Test func canonicalQuerySortsEncodedNamesThenValues() {
        let query = [("uploads", ""), ("prefix", "a/b c"), ("list-type", "2"), ("max-keys", "1000"),
                     ("x", "b"), ("x", "a"), ("continuation-token", "1/ab+c==")]
        #expect(S3Signer.canonicalQuery(query)
                == "continuation-token=1%2Fab%2Bc%3D%3D&list-type=2&max-keys=1000&prefix=a%2Fb%20c&uploads=&x=a&x=b")
        #expect(S3Signer.canonicalQuery([]) == "")
    }

    @Test func canonicalHeadersTrimAndCollapseAndEmptyPathIsSlash() {
        let canonical = S3Signer.canonicalRequest(method: "GET", encodedPath: "", query: [("uploadId", "u")],
                                                  headers: [HTTPHeader("X-Amz-Meta-A", "  one   two  "), HTTPHeader("Host", "h")],
                                                  payloadHash: "UNSIGNED-PAYLOAD")
        #expect(canonical.text == "GET\n/\nuploadId=u\nhost:h\nx-amz-meta-a:one two\n\nhost;x-amz-meta-a\nUNSIGNED-PAYLOAD")
    }

    @Test func amzDateFormat() {
        #expect(S3Signer.amzDate(Self.vectorDate) == "20130524T000000Z")
        #expect(S3Signer.amzDate(Date(timeIntervalSince1970: 1_704_164_645.9)) == "20240102T030405Z")
    }

    @Test func signerNeverShowsItsSecret() {
        let signer = S3Signer(accessKeyID: "AKID", secret: "planted-secret-xyz", sessionToken: "planted-token-xyz", region: "r")
        var dumped = ""
        dump(signer, to: &dumped)
        #expect(!dumped.contains("planted-secret-xyz") && !dumped.contains("planted-token-xyz"))
        #expect(!"\(signer)".contains("planted-secret-xyz"))
    }
}
