import Foundation
import Testing
@testable import FerryKit

@Suite struct AzureXMLScannerTests {
    /// Every (start, end) event the scanner reports, as FoundationXML's parser reports it.
    static func events(_ xml: String, scanner: Bool) throws -> [String] {
        var events: [String] = []
        let onStart: AzureXMLReader.StartHandler = { path, attributes in
            events.append("start " + path.joined(separator: "/") + " " + attributes.sorted { $0.key < $1.key }.description)
        }
        let onEnd: AzureXMLReader.EndHandler = { path, text in events.append("end " + path.joined(separator: "/") + " [\(text)]") }
        if scanner {
            try AzureXMLScanner.read(Data(xml.utf8), onStart: onStart, onEnd: onEnd)
        } else {
            try AzureXMLReader.read(Data(xml.utf8), onStart: onStart, onEnd: onEnd)
        }
        return events
    }

    @Test(arguments: [
        AzureXMLTests.listingPage,
        "<?xml version=\"1.0\"?><!-- note --><A x='1' y=\"a &amp; b\"><B>t &lt;&gt; &#233;&#x4E2D; &quot;&apos;</B><C/><D></D></A>",
        "<Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.\nRequestId:1</Message></Error>",
    ])
    func agreesWithFoundationXML(_ xml: String) throws {
        #expect(try Self.events(xml, scanner: true) == Self.events(xml, scanner: false))
    }

    /// (FoundationXML hands CDATA to another delegate call the reader does not take.)
    @Test func keepsCDATALiterally() throws {
        #expect(try Self.events("<A><![CDATA[<raw> & text]]></A>", scanner: true).last == "end A [<raw> & text]")
    }

    @Test(arguments: ["<A><B></A>", "<A><B>", "<A>", "", "text only", "<A></A><B></B>", "<A>&bogus;</A>", "<A x=1></A>"])
    func refusesBrokenDocuments(_ xml: String) {
        #expect(throws: AzureXMLError.self) { try Self.events(xml, scanner: true) }
    }
}
