import Foundation
import Testing
@testable import FerryEmulator

@Suite struct AccessConditionsTests {
    let modified = Date(timeIntervalSince1970: 1_700_000_000.75)

    private func conditions(_ headers: [String: String]) throws -> AccessConditions {
        try AccessConditions.parse(header: { headers[$0] })
    }

    @Test func ifMatch() throws {
        #expect(try conditions(["if-match": "\"0x1\""]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .proceed)
        #expect(try conditions(["if-match": "\"0x2\""]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .preconditionFailed)
        #expect(try conditions(["if-match": "*"]).evaluate(etag: nil, lastModified: nil, kind: .write) == .preconditionFailed)
    }

    @Test func ifNoneMatch() throws {
        #expect(try conditions(["if-none-match": "*"]).evaluate(etag: "0x1", lastModified: modified, kind: .create) == .alreadyExists)
        #expect(try conditions(["if-none-match": "*"]).evaluate(etag: nil, lastModified: nil, kind: .create) == .proceed)
        #expect(try conditions(["if-none-match": "\"0x1\""]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .notModified)
        #expect(try conditions(["if-none-match": "\"0x1\""]).evaluate(etag: "0x1", lastModified: modified, kind: .write) == .preconditionFailed)
    }

    @Test func datesCompareAtWholeSeconds() throws {
        let sameSecond = HTTPDate.format(modified)  // drops the .75
        #expect(try conditions(["if-unmodified-since": sameSecond]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .proceed)
        #expect(try conditions(["if-modified-since": sameSecond]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .notModified)
        let earlier = HTTPDate.format(modified.addingTimeInterval(-1))
        #expect(try conditions(["if-unmodified-since": earlier]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .preconditionFailed)
        #expect(try conditions(["if-modified-since": earlier]).evaluate(etag: "0x1", lastModified: modified, kind: .read) == .proceed)
    }

    @Test func ifMatchBeatsIfUnmodifiedSince() throws {
        let earlier = HTTPDate.format(modified.addingTimeInterval(-60))
        let both = try conditions(["if-match": "\"0x1\"", "if-unmodified-since": earlier])
        #expect(both.evaluate(etag: "0x1", lastModified: modified, kind: .read) == .proceed)
    }

    @Test func multipleETagsAreRefused() {
        #expect(throws: ServiceError.self) { try conditions(["if-match": "\"0x1\", \"0x2\""]) }
    }

    @Test func httpDateRoundTrips() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_704_067_200)) == "Mon, 01 Jan 2024 00:00:00 GMT")
        #expect(HTTPDate.parse("Mon, 01 Jan 2024 00:00:00 GMT") == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(HTTPDate.parse("not a date") == nil)
    }
}
