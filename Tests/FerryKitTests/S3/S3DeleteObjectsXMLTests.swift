import Foundation
import Testing
@testable import FerryKit

@Suite struct S3DeleteObjectsXMLTests {
    @Test func requestBodyListsEveryKeyEscaped() {
        let body = S3DeleteObjectsXML.requestBody(keys: ["root/a.bin", "root/<b> & \"c\" 'd'.txt", "root/ü/e"])
        let expected = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>false</Quiet>\
        <Object><Key>root/a.bin</Key></Object>\
        <Object><Key>root/&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;.txt</Key></Object>\
        <Object><Key>root/ü/e</Key></Object></Delete>
        """
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test func requestBodyRoundTripsThroughAnXMLParser() throws {
        let keys = ["a&b", "c<d>e", "tab\there", "é", "e\u{301}"]
        var parsed: [String] = []
        try AzureXMLReader.read(S3DeleteObjectsXML.requestBody(keys: keys)) { path, text in
            if path == ["Delete", "Object", "Key"] { parsed.append(text) }
        }
        // Compared as bytes: NFC and NFD spellings of é must stay two keys.
        #expect(parsed.map { Array($0.utf8) } == keys.map { Array($0.utf8) })
    }

    @Test func keysXMLCannotCarryAreSentAlone() {
        #expect(S3DeleteObjectsXML.canCarry("plain/key ü.txt"))
        #expect(!S3DeleteObjectsXML.canCarry("line\rbreak"))
        #expect(!S3DeleteObjectsXML.canCarry("bell\u{07}"))
        #expect(!S3DeleteObjectsXML.canCarry("new\nline"))
    }

    @Test func resultWithDeletedAndErrorEntries() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Deleted><Key>root/a.bin</Key></Deleted>
          <Deleted><Key>root/x &amp; y</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>v1</DeleteMarkerVersionId></Deleted>
          <Error><Key>root/locked.bin</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
          <Error><Key>root/busy.bin</Key><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>
        </DeleteResult>
        """
        let result = try S3DeleteObjectsXML.parseResult(Data(xml.utf8))
        #expect(result.deleted == ["root/a.bin", "root/x & y"])
        #expect(result.errors == [
            .init(key: "root/locked.bin", code: "AccessDenied", message: "Access Denied"),
            .init(key: "root/busy.bin", code: "InternalError", message: "We encountered an internal error."),
        ])
    }

    @Test func emptyResultAndWrongDocuments() throws {
        #expect(try S3DeleteObjectsXML.parseResult(Data("<DeleteResult/>".utf8)) == .init())
        #expect(throws: (any Error).self) {
            try S3DeleteObjectsXML.parseResult(Data("<Error><Code>MalformedXML</Code></Error>".utf8))
        }
        #expect(throws: (any Error).self) {
            try S3DeleteObjectsXML.parseResult(Data("<DeleteResult><Deleted><Key>a".utf8))
        }
    }

    @Test func perKeyErrorsAreClassified() {
        let denied = S3Endpoint.keyError(.init(key: "k", code: "AccessDenied", message: "no"), target: "s3://b/k")
        #expect(denied.code == .authenticationFailed && denied.disposition == .abortJob)
        let busy = S3Endpoint.keyError(.init(key: "k", code: "InternalError", message: "try again"), target: "s3://b/k")
        #expect(busy.disposition == .retry)
        let other = S3Endpoint.keyError(.init(key: "k", code: "InvalidObjectState", message: "archived"), target: "s3://b/k")
        #expect(other.disposition == .skipItem && other.message.contains("s3://b/k"))
    }
}
