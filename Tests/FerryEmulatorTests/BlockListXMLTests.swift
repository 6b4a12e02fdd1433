import Testing
@testable import FerryEmulator

@Suite struct BlockListXMLTests {
    @Test func readsEntriesInDocumentOrder() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <BlockList>
              <Latest>QUFBQQ==</Latest>
              <Committed>QkJCQg==</Committed>
              <Uncommitted>Q0NDQw==</Uncommitted>
            </BlockList>
            """
        let entries = try BlockListXML.parse(xml)
        #expect(entries.map(\.0) == [.latest, .committed, .uncommitted])
        #expect(entries.map(\.1) == ["QUFBQQ==", "QkJCQg==", "Q0NDQw=="])
    }

    @Test func emptyListIsValid() throws {
        #expect(try BlockListXML.parse("<BlockList></BlockList>").isEmpty)
        #expect(try BlockListXML.parse("<BlockList/>").isEmpty)
    }

    @Test func refusesBadDocuments() {
        for xml in ["", "<BlockList><Latest>a</Latest>", "<Other/>", "<BlockList><Newest>a</Newest></BlockList>", "junk"] {
            #expect(throws: ServiceError.self, "\(xml)") { try BlockListXML.parse(xml) }
        }
    }

    @Test func refusesMoreThan50000Entries() {
        let xml = "<BlockList>" + String(repeating: "<Latest>QUFBQQ==</Latest>", count: 50_001) + "</BlockList>"
        do {
            _ = try BlockListXML.parse(xml)
            Issue.record("expected BlockListTooLong")
        } catch {
            #expect(error.code == "BlockListTooLong")
        }
    }

    @Test func rendersSections() {
        let xml = BlockListXML.render(committed: [ListedBlock(id: "QUFBQQ==", size: 4)], uncommitted: nil)
        #expect(xml.contains("<CommittedBlocks><Block><Name>QUFBQQ==</Name><Size>4</Size></Block></CommittedBlocks>"))
        #expect(!xml.contains("UncommittedBlocks"))
    }
}
