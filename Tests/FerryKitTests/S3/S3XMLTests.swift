import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

@Suite struct S3XMLTests {
    @Test func listObjectsV2PageWithURLEncoding() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>root%2F</Prefix>
         <KeyCount>3</KeyCount><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType>
         <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
         <Contents><Key>root/a+b%2Bc%20d.bin</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
          <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
         <Contents><Key>root/%C3%BC%01.txt</Key><LastModified>2024-01-02T03:04:05Z</LastModified>
          <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag><Size>0</Size></Contents>
         <CommonPrefixes><Prefix>root/sub%2Fdir/</Prefix></CommonPrefixes>
        </ListBucketResult>
        """
        let page = try S3ListObjectsPage.parse(Data(xml.utf8))
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        #expect(page.objects.count == 2)
        #expect(page.objects[0].key == "root/a b+c d.bin")
        #expect(page.objects[0].sizeBytes == 434_234)
        #expect(page.objects[0].etag == "fba9dede5f27731c9771645a39863328")
        #expect(page.objects[0].lastModified == Date(timeIntervalSince1970: 1_255_369_830))
        #expect(page.objects[1].key == "root/ü\u{01}.txt")
        #expect(page.objects[1].etag == "3858f62230ac3c915f300c664312c11f-9")
        #expect(page.objects[1].lastModified == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(page.commonPrefixes == ["root/sub/dir/"])
    }

    @Test func lastListPageAndPlainKeys() throws {
        let xml = """
        <ListBucketResult><IsTruncated>false</IsTruncated><NextContinuationToken>ignored</NextContinuationToken>
        <Contents><Key>a+b.txt</Key><Size>5</Size></Contents></ListBucketResult>
        """
        let page = try S3ListObjectsPage.parse(Data(xml.utf8))
        #expect(!page.isTruncated && page.nextContinuationToken == nil)
        #expect(page.objects.map(\.key) == ["a+b.txt"])
    }

    @Test func truncatedDocumentIsAnError() {
        #expect(throws: (any Error).self) { try S3ListObjectsPage.parse(Data("<ListBucketResult><Contents><Key>a".utf8)) }
    }

    @Test func listPartsPages() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId>
         <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts>
         <IsTruncated>true</IsTruncated>
         <Part><PartNumber>1</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"aaa"</ETag><Size>5242880</Size></Part>
         <Part><PartNumber>2</PartNumber><ETag>&quot;bbb&quot;</ETag><Size>17</Size><ChecksumCRC64NVME>rosUhgp5mIg=</ChecksumCRC64NVME></Part>
        </ListPartsResult>
        """
        let page = try S3ListPartsPage.parse(Data(xml.utf8))
        #expect(page.parts == [.init(partNumber: 1, sizeBytes: 5_242_880, etag: "\"aaa\""),
                               .init(partNumber: 2, sizeBytes: 17, etag: "\"bbb\"")])
        #expect(page.isTruncated && page.nextPartNumberMarker == 2)
        let last = try S3ListPartsPage.parse(Data("<ListPartsResult><IsTruncated>false</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker></ListPartsResult>".utf8))
        #expect(last.parts.isEmpty && last.nextPartNumberMarker == nil)
    }

    @Test func partETagsThatAreMD5s() {
        let md5 = S3ListPartsPage.Part(etag: "\"79b281060d337b9b2b84ccf390adcf74\"").contentMD5
        #expect(md5.map { Digests.hex($0) } == "79b281060d337b9b2b84ccf390adcf74")
        #expect(S3ListPartsPage.Part(etag: "79B281060D337B9B2B84CCF390ADCF74").contentMD5 == md5)
        for other in ["\"79b281060d337b9b2b84ccf390adcf7\"", "\"79b281060d337b9b2b84ccf390adcf74-2\"",
                      "\"+9b281060d337b9b2b84ccf390adcf74\"", "\"zzb281060d337b9b2b84ccf390adcf74\"", ""] {
            #expect(S3ListPartsPage.Part(etag: other).contentMD5 == nil, "\(other)")
        }
    }

    @Test func multipartUploadsPage() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>
         <KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>k/x.bin</NextKeyMarker>
         <NextUploadIdMarker>u2</NextUploadIdMarker><MaxUploads>2</MaxUploads><IsTruncated>true</IsTruncated>
         <Upload><Key>k/x.bin</Key><UploadId>u1</UploadId><Initiated>2026-11-25T07:36:27.000Z</Initiated></Upload>
         <Upload><Key>k/x.bin</Key><UploadId>u2</UploadId><Initiated>2026-11-25T07:36:29.000Z</Initiated>
          <Initiator><ID>x</ID></Initiator></Upload>
        </ListMultipartUploadsResult>
        """
        let page = try S3MultipartUploadsPage.parse(Data(xml.utf8))
        #expect(page.uploads == [.init(key: "k/x.bin", uploadID: "u1", initiated: "2026-11-25T07:36:27.000Z"),
                                 .init(key: "k/x.bin", uploadID: "u2", initiated: "2026-11-25T07:36:29.000Z")])
        #expect(page.isTruncated && page.nextKeyMarker == "k/x.bin" && page.nextUploadIDMarker == "u2")
        let empty = try S3MultipartUploadsPage.parse(Data("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>".utf8))
        #expect(empty.uploads.isEmpty && !empty.isTruncated)
    }

    @Test func initiateResult() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key>
        <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId></InitiateMultipartUploadResult>
        """
        #expect(try S3MultipartXML.uploadID(fromInitiateResult: Data(xml.utf8)) == "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")
        #expect(try S3MultipartXML.uploadID(fromInitiateResult: Data("<InitiateMultipartUploadResult/>".utf8)) == nil)
    }

    @Test func completeBodyListsPartsWithEscapedETags() throws {
        let body = String(decoding: S3MultipartXML.completeBody(parts: [(1, "\"a1\""), (2, "\"b2\"")]), as: UTF8.self)
        #expect(body.contains("<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part><Part><PartNumber>2</PartNumber>"))
        #expect(body.hasPrefix("<?xml"))
        // It must parse back as XML.
        var partNumbers: [String] = []
        try AzureXMLReader.read(Data(body.utf8), onEnd: { path, text in
            if path.last == "PartNumber" { partNumbers.append(text) }
        })
        #expect(partNumbers == ["1", "2"])
    }

    @Test func completeResultAndTwoHundredWithError() throws {
        let ok = """
        <?xml version="1.0" encoding="UTF-8"?>
        <CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://b.s3.amazonaws.com/k</Location>
        <Bucket>b</Bucket><Key>k</Key><ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag></CompleteMultipartUploadResult>
        """
        #expect(try S3MultipartXML.completionOutcome(Data(ok.utf8)) == .completed(etag: "\"3858f62230ac3c915f300c664312c11f-9\""))
        let failed = """
                   \n  <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>InternalError</Code><Message>We encountered an internal error.
        Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>
        """
        #expect(try S3MultipartXML.completionOutcome(Data(failed.utf8))
                == .failed(code: "InternalError", message: "We encountered an internal error."))
        #expect(throws: (any Error).self) { try S3MultipartXML.completionOutcome(Data()) }
    }

    @Test func errorBody() {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message><Key>a/b</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>
        """
        let body = S3MultipartXML.errorBody(Data(xml.utf8))
        #expect(body.code == "NoSuchKey" && body.message == "The resource you requested does not exist")
        let empty = S3MultipartXML.errorBody(Data())
        #expect(empty.code == nil && empty.message == nil)
    }

    @Test func timestamps() {
        #expect(S3Timestamp.parse("2024-01-02T03:04:05.250Z") == Date(timeIntervalSince1970: 1_704_164_645.25))
        #expect(S3Timestamp.parse("2024-01-02T03:04:05Z") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(S3Timestamp.parse("Tue, 02 Jan 2024 03:04:05 GMT") == nil)
        #expect(S3Timestamp.parse("2024-01-02 03:04:05Z") == nil)
    }
}
