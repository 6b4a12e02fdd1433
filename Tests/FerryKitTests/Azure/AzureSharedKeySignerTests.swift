import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

/// The three published Shared Key vectors of PROTOCOLS.md A9 (dev account, fixed date).
@Suite struct AzureSharedKeySignerTests {
    let signer = AzureSharedKeySigner(account: "devstoreaccount1",
                                      key: Data(base64Encoded: AzureConnectionString.developmentStorageKey)!)
    let fixedHeaders = [HTTPHeader("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"), HTTPHeader("x-ms-version", "2021-08-06")]

    @Test func createContainerVector() {
        let text = signer.stringToSign(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer",
                                       query: [("restype", "container")], headers: fixedHeaders, contentLength: 0)
        #expect(text == "PUT" + String(repeating: "\n", count: 12)
            + "x-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2021-08-06\n/devstoreaccount1/devstoreaccount1/mycontainer\nrestype:container")
        let authorization = signer.authorization(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer",
                                                 query: [("restype", "container")], headers: fixedHeaders, contentLength: 0)
        #expect(authorization == "SharedKey devstoreaccount1:8vHanKaDhMfB+hnQ45Ja7mf/YJU4fILiKGDYSO1qTOE=")
    }

    @Test func putBlockVector() {
        let headers = fixedHeaders + [HTTPHeader("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A==")]
        let query = [("comp", "block"), ("blockid", "QUFBQQ==")]
        let text = signer.stringToSign(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer/dir/file.bin",
                                       query: query, headers: headers, contentLength: 4)
        #expect(text.hasSuffix("/devstoreaccount1/devstoreaccount1/mycontainer/dir/file.bin\nblockid:QUFBQQ==\ncomp:block"))
        let authorization = signer.authorization(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer/dir/file.bin",
                                                 query: query, headers: headers, contentLength: 4)
        #expect(authorization == "SharedKey devstoreaccount1:abHNIzNkX68118F5UOzVEscWcTC+OIyxAsxzSvT8MOs=")
    }

    @Test func listBlobsVector() {
        let query = [("restype", "container"), ("comp", "list"), ("prefix", "dir/"), ("include", "metadata")]
        let authorization = signer.authorization(method: "GET", encodedPath: "/devstoreaccount1/mycontainer",
                                                 query: query, headers: fixedHeaders, contentLength: 0)
        #expect(authorization == "SharedKey devstoreaccount1:XicJ1miuaNinbnUgN5QOKGMqFgbw/zpoahr8fnnsYE4=")
    }

    @Test func aDifferentKeyGivesADifferentSignature() {
        let other = AzureSharedKeySigner(account: "devstoreaccount1", key: Data("not the key".utf8))
        let query = [("restype", "container")]
        let good = signer.authorization(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer", query: query,
                                        headers: fixedHeaders, contentLength: 0)
        let bad = other.authorization(method: "PUT", encodedPath: "/devstoreaccount1/mycontainer", query: query,
                                      headers: fixedHeaders, contentLength: 0)
        #expect(good != bad)
    }
}
