import FerryChecksums
import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

@Suite struct AzureXMLTests {
    static let listingPage = """
    <?xml version="1.0" encoding="utf-8"?>
    <EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1/" ContainerName="c">
     <Prefix>dir/</Prefix><MaxResults>2</MaxResults><Delimiter>/</Delimiter>
     <Blobs>
      <Blob><Name>dir/a.bin</Name><Properties>
        <Creation-Time>Mon, 01 Jan 2024 00:00:00 GMT</Creation-Time><Last-Modified>Tue, 02 Jan 2024 03:04:05 GMT</Last-Modified>
        <Etag>0x8DC0123456789AB</Etag><Content-Length>104857600</Content-Length>
        <Content-Type>application/octet-stream</Content-Type><Content-MD5>XrY7u+Ae7tCTyyK7j1rNww==</Content-MD5>
        <BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>
       </Properties><Metadata><FerryCRC64>iJh5CoYUi64=</FerryCRC64><Name>not-the-blob-name</Name></Metadata></Blob>
      <Blob><Name Encoded="true">dir/b%20%26c.bin</Name><Properties><Content-Length>0</Content-Length><Content-MD5 /></Properties></Blob>
      <BlobPrefix><Name>dir/sub/</Name></BlobPrefix>
     </Blobs><NextMarker>2!opaque-marker</NextMarker>
    </EnumerationResults>
    """

    @Test func listingPage() throws {
        let page = try AzureListingPage.parse(Data(Self.listingPage.utf8))
        #expect(page.blobs.count == 2)
        #expect(page.prefixes == ["dir/sub/"])
        #expect(page.nextMarker == "2!opaque-marker")
        let first = page.blobs[0]
        #expect(first.name == "dir/a.bin")
        #expect(first.sizeBytes == 104_857_600)
        #expect(first.etag == "0x8DC0123456789AB")
        #expect(first.contentType == "application/octet-stream")
        #expect(first.contentMD5 == Digests.md5(Data("hello world".utf8)))
        #expect(first.lastModified == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(first.metadata == ["ferrycrc64": "iJh5CoYUi64=", "name": "not-the-blob-name"])
        #expect(page.blobs[1].name == "dir/b &c.bin")
        #expect(page.blobs[1].contentMD5 == nil)

        let info = AzureBlobProperties.objectInfo(path: "a.bin", listed: first)
        #expect(info.crc64 == 0xAE8B14860A799888)
    }

    @Test func lastPageHasNoMarker() throws {
        let page = try AzureListingPage.parse(Data("""
        <?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Blobs/><NextMarker/></EnumerationResults>
        """.utf8))
        #expect(page.blobs.isEmpty && page.nextMarker == nil)
    }

    /// Names XML 1.0 cannot carry (U+FFFE, U+FFFF) come percent-encoded, in blobs and prefixes.
    @Test func encodedNamesAreDecodedAsUTF8Bytes() throws {
        let page = try AzureListingPage.parse(Data("""
        <?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Blobs>
        <BlobPrefix><Name Encoded="true">dir%EF%BF%BE/</Name></BlobPrefix>
        <Blob><Name Encoded="true">odd%EF%BF%BFname%2Bplus+kept.bin</Name><Properties><Content-Length>3</Content-Length></Properties></Blob>
        <Blob><Name>plain%20stays.bin</Name><Properties><Content-Length>1</Content-Length></Properties></Blob>
        <Blob><Name Encoded="false">cafe%CC%81</Name><Properties /></Blob>
        <Blob><Name Encoded="true">cafe%CC%81</Name><Properties /></Blob>
        </Blobs><NextMarker /></EnumerationResults>
        """.utf8))
        #expect(page.prefixes.map { Array($0.utf8) } == [Array("dir\u{FFFE}/".utf8)])
        #expect(page.blobs.map { Array($0.name.utf8) } == [Array("odd\u{FFFF}name+plus+kept.bin".utf8), Array("plain%20stays.bin".utf8),
                                                            Array("cafe%CC%81".utf8), Array("cafe\u{301}".utf8)])
        #expect(page.blobs[0].sizeBytes == 3)
    }

    @Test func malformedEncodedNamesStopTheListing() {
        for bad in ["bad%E", "bad%ZZ", "bad%FF%FE"] {  // a cut escape, not hex, not UTF-8
            let xml = "<EnumerationResults><Blobs><Blob><Name Encoded=\"true\">\(bad)</Name></Blob></Blobs></EnumerationResults>"
            #expect(throws: FerryError.self) { try AzureListingPage.parse(Data(xml.utf8)) }
        }
    }

    @Test func brokenXMLThrows() {
        #expect(throws: (any Error).self) { try AzureListingPage.parse(Data("<EnumerationResults><Blobs>".utf8)) }
    }

    @Test func getBlockList() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?><BlockList>
        <CommittedBlocks><Block><Name>QUFBQQ==</Name><Size>4</Size></Block></CommittedBlocks>
        <UncommittedBlocks><Block><Name>QkJCQg==</Name><Size>8388608</Size></Block><Block><Name>Q0NDQw==</Name><Size>1</Size></Block></UncommittedBlocks>
        </BlockList>
        """
        let parsed = try AzureBlockList.parse(Data(xml.utf8))
        #expect(parsed.committed == [.init(id: "QUFBQQ==", sizeBytes: 4)])
        #expect(parsed.uncommitted == [.init(id: "QkJCQg==", sizeBytes: 8_388_608), .init(id: "Q0NDQw==", sizeBytes: 1)])
    }

    @Test func putBlockListBody() {
        let body = String(decoding: AzureBlockList.commitBody(blockIDs: ["QUFBQQ==", "QkJCQg=="]), as: UTF8.self)
        #expect(body == #"<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QUFBQQ==</Latest><Latest>QkJCQg==</Latest></BlockList>"#)
    }

    @Test func errorBody() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.\nRequestId:1\nTime:x</Message></Error>"
        let parsed = AzureErrorClassifier.errorBody(Data(xml.utf8))
        #expect(parsed.code == "BlobNotFound")
        #expect(parsed.message == "The specified blob does not exist.")
    }

    @Test func headProperties() {
        let info = AzureBlobProperties.objectInfo(path: "x.bin", headers: [
            "content-length": "11", "etag": "\"0x8DC0123456789AB\"", "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
            "content-md5": "XrY7u+Ae7tCTyyK7j1rNww==", "content-type": "text/plain",
            "x-ms-meta-ferrycrc64": CRC64.azureBase64(42), "x-ms-meta-owner": "me",
        ])
        #expect(info.sizeBytes == 11)
        #expect(info.etag == "0x8DC0123456789AB")
        #expect(info.lastModified == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(info.crc64 == 42)
        #expect(info.metadata["owner"] == "me")
        #expect(info.contentType == "text/plain")
    }

    @Test func httpDateRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_704_067_200)
        #expect(HTTPDate.format(date) == "Mon, 01 Jan 2024 00:00:00 GMT")
        #expect(HTTPDate.parse("Mon, 01 Jan 2024 00:00:00 GMT") == date)
        #expect(HTTPDate.parse("2024-01-01") == nil)
    }
}
