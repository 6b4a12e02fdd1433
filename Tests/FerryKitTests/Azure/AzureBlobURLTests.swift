import Foundation
import Testing
@testable import FerryKit

@Suite struct AzureBlobURLTests {
    @Test func hostForm() throws {
        let url = try AzureBlobURL(parsing: "https://myacct.blob.core.windows.net/data/train/shards/")
        #expect(url.account == "myacct")
        #expect(url.container == "data")
        #expect(url.prefix == "train/shards")
        #expect(!url.isPathStyle)
        #expect(url.sasQuery == nil)
        #expect(url.serviceRoot == "https://myacct.blob.core.windows.net")
        #expect(url.encodedPath(blobName: "train/shards/a b.bin") == "/data/train/shards/a%20b.bin")
    }

    @Test func hostFormWithOtherCloudSuffixAndSAS() throws {
        let url = try AzureBlobURL(parsing: "https://acct.blob.core.chinacloudapi.cn/c01?sv=2021-08-06&sig=abc%2Bdef")
        #expect(url.account == "acct")
        #expect(url.container == "c01")
        #expect(url.prefix == "")
        #expect(url.sasQuery == "sv=2021-08-06&sig=abc%2Bdef")
    }

    @Test func pathForm() throws {
        let url = try AzureBlobURL(parsing: "http://127.0.0.1:10000/devstoreaccount1/mycontainer/dir/sub")
        #expect(url.isPathStyle)
        #expect(url.account == "devstoreaccount1")
        #expect(url.container == "mycontainer")
        #expect(url.prefix == "dir/sub")
        #expect(url.serviceRoot == "http://127.0.0.1:10000/devstoreaccount1")
        #expect(url.encodedPath(blobName: nil) == "/devstoreaccount1/mycontainer")
        let local = try AzureBlobURL(parsing: "http://localhost:8080/acct/cont")
        #expect(local.isPathStyle && local.account == "acct" && local.container == "cont" && local.prefix.isEmpty)
    }

    @Test func unicodeSpacesAndPercentEncoding() throws {
        let typed = try AzureBlobURL(parsing: "http://127.0.0.1:1/acct/cont/données/my dir//")
        #expect(typed.prefix == "données/my dir")
        let encoded = try AzureBlobURL(parsing: "http://127.0.0.1:1/acct/cont/donn%C3%A9es/my%20dir/")
        #expect(encoded.prefix == "données/my dir")
        #expect(encoded.encodedPath(blobName: "a+b=c") == "/acct/cont/a%2Bb%3Dc")
        #expect(encoded.blobName(for: "x/y.bin") == "données/my dir/x/y.bin")
        #expect(encoded.blobName(for: "") == "données/my dir")
        let noPrefix = try AzureBlobURL(parsing: "http://127.0.0.1:1/acct/cont")
        #expect(noPrefix.blobName(for: "x.bin") == "x.bin")
    }

    @Test(arguments: [
        "ftp://acct.blob.core.windows.net/c",
        "acct.blob.core.windows.net/c",
        "https://example.com/c/x",
        "https://acct.blob.core.windows.net/",
        "https://acct.blob.core.windows.net/Bad_Container",
        "http://127.0.0.1:10000/devstoreaccount1",
        "http://127.0.0.1:10000/",
    ])
    func badURLsAreUsageErrors(_ text: String) {
        do {
            _ = try AzureBlobURL(parsing: text)
            Issue.record("accepted \(text)")
        } catch let error as FerryError {
            #expect(error.code == .usage)
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func badURLMessageIsRedacted() {
        do {
            _ = try AzureBlobURL(parsing: "https://example.com/c?sv=1&sig=TOPSECRETSIG")
            Issue.record("accepted")
        } catch {
            #expect(!"\(error)".contains("TOPSECRETSIG"))
        }
    }
}
