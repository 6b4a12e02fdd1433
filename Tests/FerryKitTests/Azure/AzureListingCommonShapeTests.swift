import Foundation
import Testing
@testable import FerryKit

/// The byte-level List Blobs reader (`parseCommonShape`) reads exactly what the scanner reads
/// for the pages the service sends, and hands every other page to the scanner (nil).
@Suite struct AzureListingCommonShapeTests {
    static func page(blobs: Int, seed: Int) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"http://127.0.0.1:1/a/\" "
            + "ContainerName=\"c\"><Prefix>p/</Prefix><MaxResults>5000</MaxResults><Blobs>"
        for index in 0..<blobs {
            let name = index % 7 == 0 ? "p/d\(index)/caf\u{E9} &amp; &lt;x&gt; &#x41;\(index).bin" : "p/d\(index % 3)/f-\(index + seed).bin"
            xml += "<Blob><Name>\(name)</Name><Properties><Creation-Time>Sat, 05 Dec 2026 18:51:35 GMT</Creation-Time>"
            xml += "<Last-Modified>Sat, 05 Dec 2026 18:5\(index % 10):35 GMT</Last-Modified><Etag>0x8DF5300C9A4C\(index)</Etag>"
            xml += "<Content-Length>\(index * 37 + seed)</Content-Length><Content-Type>\(index % 2 == 0 ? "application/octet-stream" : "")</Content-Type>"
            xml += "<Content-Encoding /><Content-MD5>\(index % 3 == 0 ? "hUmvln+B+cdQQzFNRejekA==" : "")</Content-MD5>"
            xml += "<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier></Properties>"
            if index % 4 != 1 {
                xml += "<Metadata><ferrycrc64>jUg9KX0oTeQ=</ferrycrc64><FerryMtime>17964966\(index)</FerryMtime><Name>x &amp; y</Name></Metadata>"
            }
            xml += "<Tags><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tags></Blob>"
            if index % 50 == 0 { xml += "<BlobPrefix><Name>p/d\(index)/</Name></BlobPrefix>" }
        }
        xml += "</Blobs><NextMarker>\(seed % 2 == 0 ? "p/next &amp; marker" : "")</NextMarker></EnumerationResults>\n"
        return xml
    }

    static let commonShapes: [String] = [
        page(blobs: 0, seed: 1), page(blobs: 1, seed: 2), page(blobs: 300, seed: 3), page(blobs: 120, seed: 4),
        """
        <?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Blobs/><NextMarker/></EnumerationResults>
        """,
        """
        <?xml version="1.0" encoding="utf-8"?>
        <EnumerationResults ServiceEndpoint="http://h/" ContainerName="c">
         <Blobs>
          <Blob><Name>dir/a.bin</Name><Properties>
            <Content-Length>104857600</Content-Length><Content-MD5 /></Properties><Metadata /></Blob>
          <BlobPrefix><Name>dir/sub/</Name></BlobPrefix>
         </Blobs><NextMarker>2!opaque-marker</NextMarker>
        </EnumerationResults>
        """,
    ]

    @Test(arguments: commonShapes)
    func readsWhatTheScannerReads(xml: String) throws {
        let data = Data(xml.utf8)
        let fast = try #require(AzureListingPage.parseCommonShape(data), "a page of the common shape went to the scanner")
        #expect(fast == (try AzureListingPage.parseWithScanner(data)))
    }

    @Test func keepsWhatAListingNeeds() throws {
        let page = try #require(AzureListingPage.parseCommonShape(Data(Self.page(blobs: 8, seed: 2).utf8)))
        #expect(page.blobs.count == 8)
        #expect(page.prefixes == ["p/d0/"])
        #expect(page.nextMarker == "p/next & marker")
        #expect(page.blobs[0].name == "p/d0/caf\u{E9} & <x> A0.bin")
        #expect(page.blobs[0].metadata == ["ferrycrc64": "jUg9KX0oTeQ=", "ferrymtime": "179649660", "name": "x & y"])
        #expect(page.blobs[1].metadata.isEmpty)
        #expect(page.blobs[2].sizeBytes == 2 * 37 + 2)
        #expect(page.blobs[1].contentType == nil && page.blobs[2].contentType == "application/octet-stream")
        #expect(page.blobs[3].contentMD5?.count == 16 && page.blobs[1].contentMD5 == nil)
        #expect(page.blobs[3].etag == "0x8DF5300C9A4C3")
    }

    /// Encoded names, comments, CDATA, stray attributes: the scanner's; broken documents: the
    /// scanner's too, which says what is wrong.
    @Test(arguments: [
        "<EnumerationResults><Blobs><Blob><Name Encoded=\"true\">a%20b</Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><!-- note --><Blob><Name>a</Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><Blob><Name><![CDATA[a<b]]></Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><Blob x=\"1\"><Name>a</Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><Blob><Name>a<i>b</i></Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><Blob><Name>a</Blob></Name></Blobs></EnumerationResults>",
        "<EnumerationResults><Blobs><Blob><Name>a</Name></Blob></Blobs>",
        "<EnumerationResults><Blobs><Blob><Name>a&bogus;</Name></Blob></Blobs></EnumerationResults>",
        "<EnumerationResults></EnumerationResults><Extra/>",
        "<Other></Other>",
        "",
    ])
    func handsOtherShapesToTheScanner(xml: String) {
        #expect(AzureListingPage.parseCommonShape(Data(xml.utf8)) == nil)
    }
}
