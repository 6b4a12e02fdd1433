import Foundation
import Testing
@testable import FerryKit

@Suite struct ListingFormatTests {
    let info = ObjectInfo(path: "a/b.bin", sizeBytes: 1536, lastModified: Date(timeIntervalSince1970: 1_764_868_541.25),
                          contentMD5: Data(repeating: 0xAB, count: 16), crc64: 0x0123_4567_89AB_CDEF, etag: "0x8D")

    @Test func textLines() {
        #expect(ListingFormat.textLine(.object(info), humanReadable: false)
                == "2025-12-04T17:15:41Z            1536  0123456789abcdef  q6urq6urq6urq6urq6urqw==  a/b.bin")
        #expect(ListingFormat.textLine(.object(ObjectInfo(path: "x", sizeBytes: 0)), humanReadable: true)
                == "-                            0 B  -                 -                         x")
        #expect(ListingFormat.textLine(.directory("sub/"), humanReadable: false).hasSuffix("DIR  -                 -                         sub/"))
        #expect(ListingFormat.totalText(objects: 2, bytes: 3072, directories: 1, humanReadable: true)
                == "total: 2 objects, 3.0 KiB, 1 directories")
        #expect(ListingFormat.totalText(objects: 2, bytes: 3072, directories: 0, humanReadable: false)
                == "total: 2 objects, 3072 bytes")
    }

    @Test func jsonLines() throws {
        let line = ListingFormat.jsonLine(.object(info))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "object" && object["path"] as? String == "a/b.bin")
        #expect(object["sizeBytes"] as? Int == 1536 && object["lastModified"] as? String == "2025-12-04T17:15:41.250Z")
        #expect(object["crc64"] as? String == "0123456789abcdef" && object["contentMD5"] as? String == "q6urq6urq6urq6urq6urqw==")
        #expect(ListingFormat.jsonLine(.directory("sub/")) == #"{"path":"sub/","type":"directory"}"#)
        #expect(ListingFormat.totalJSON(objects: 1, bytes: 2, directories: 3)
                == #"{"bytes":2,"directories":3,"objects":1,"type":"summary"}"#)
    }

    @Test func mergeKeepsByteOrderAcrossObjectsAndDirectories() {
        let merged = ListingEntryMerge.merge(objects: [ObjectInfo(path: "a", sizeBytes: 1), ObjectInfo(path: "b.txt", sizeBytes: 1),
                                                      ObjectInfo(path: "e\u{301}", sizeBytes: 1)],
                                             directories: ["b/", "c/", "é/"])
        #expect(merged.map(\.path) == ["a", "b.txt", "b/", "c/", "e\u{301}", "é/"])
    }
}
