import Foundation
import Testing
@testable import FerryEmulatorAuth

/// The pure pieces under the verifiers: header order, query canonicalization, times, redaction.
@Suite struct CanonicalizationTests {
    /// The order azure-storage-blob 12.31.1's `_storage_header_sort` gave these names (run once,
    /// pasted): `_` `.` `~` `+` before digits, `-` and `'` ignored until the names otherwise tie.
    @Test func serviceCollationMatchesPythonOrder() {
        let pythonOrder = [
            "x-ms-blob-content-type", "x-ms-blob-type", "x-ms-client-request-id", "x-ms-date", "x-ms-meta-a",
            "x-ms-meta-a-", "x-ms-meta-a.b", "x-ms-meta-a_b", "x-ms-meta-a~b", "x-ms-meta-a+b", "x-ms-meta-a1",
            "x-ms-meta-a2", "x-ms-meta-ab", "x-ms-meta-a'b", "x-ms-meta-a-b", "x-ms-meta-a--b", "x-ms-meta-b",
            "x-ms-meta-z_", "x-ms-meta-z9", "x-ms-version",
        ]
        for seed in 0..<5 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let shuffled = pythonOrder.shuffled(using: &generator).map { (name: $0, value: "") }
            #expect(HeaderNameOrder.serviceCollation.sorted(shuffled).map(\.name) == pythonOrder)
        }
        #expect(HeaderNameOrder.ordinal.sorted(pythonOrder.map { (name: $0, value: "") }).map(\.name)
            != pythonOrder)
    }

    @Test func queryLinesAreLowerCasedSortedDecodedAndMerged() {
        let query = QueryParameters(rawQuery: "restype=container&Comp=list&prefix=dir%2F&include=metadata&include=copy&empty&plus=a+b")
        #expect(query.canonicalizedLines
            == "\ncomp:list\nempty:\ninclude:copy,metadata\nplus:a+b\nprefix:dir/\nrestype:container")
        #expect(QueryParameters.percentDecode("caf%C3%A9%2B%zz%4") == "café+%zz%4")
    }

    @Test func headerValuesAreTrimmedAndCollapsed() {
        #expect(SharedKeyStringToSign.canonicalHeaderValue("  a \t  b  c ") == "a b c")
    }

    @Test func contentLengthZeroIsEmptyFromVersion20150221() {
        func lengthLine(version: String) -> String {
            let request = AuthFixtures.request("PUT", "/devstoreaccount1/c", headers: [
                ("Content-Length", "0"), ("x-ms-version", version)])
            let stringToSign = SharedKeyStringToSign(accountName: "devstoreaccount1").build(for: request, headerOrder: .ordinal)
            return String(stringToSign.split(separator: "\n", omittingEmptySubsequences: false)[3])
        }
        #expect(lengthLine(version: "2021-08-06") == "")
        #expect(lengthLine(version: "2014-02-14") == "0")
    }

    @Test func rfc1123RoundTrips() throws {
        let parsed = try #require(ServiceTime.parseRFC1123("Mon, 01 Jan 2024 00:00:00 GMT"))
        #expect(parsed == AuthFixtures.vectorNow)
        #expect(ServiceTime.formatRFC1123(parsed) == "Mon, 01 Jan 2024 00:00:00 GMT")
        let leapDay = try #require(ServiceTime.parseRFC1123("Thu, 29 Feb 2024 23:59:59 GMT"))
        #expect(leapDay.timeIntervalSince1970 == 1_709_251_199)
        #expect(ServiceTime.formatRFC1123(leapDay) == "Thu, 29 Feb 2024 23:59:59 GMT")
        #expect(ServiceTime.formatRFC1123(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        for bad in ["Mon, 30 Feb 2024 00:00:00 GMT", "Mon, 01 Jan 2024 00:00:00 PST", "2024-01-01T00:00:00Z",
                    "Mon, 01 Foo 2024 00:00:00 GMT", "Mon, 01 Jan 2024 24:00:00 GMT", ""] {
            #expect(ServiceTime.parseRFC1123(bad) == nil, "\(bad)")
        }
    }

    @Test func iso8601SASForms() {
        let midnight = AuthFixtures.vectorNow.timeIntervalSince1970
        #expect(ServiceTime.parseISO8601("2024-01-01")?.timeIntervalSince1970 == midnight)
        #expect(ServiceTime.parseISO8601("2024-01-01T00:00Z")?.timeIntervalSince1970 == midnight)
        #expect(ServiceTime.parseISO8601("2024-01-01T00:00:00Z")?.timeIntervalSince1970 == midnight)
        #expect(ServiceTime.parseISO8601("2024-01-01T01:02:03Z")?.timeIntervalSince1970 == midnight + 3723)
        let fractional = ServiceTime.parseISO8601("2024-01-01T00:00:00.5Z")?.timeIntervalSince1970 ?? 0
        #expect(abs(fractional - (midnight + 0.5)) < 0.000_001)
        // `Date` counts from 2001-01-01, where a Double resolves 100 ns: all seven digits must be read.
        let sevenDigits = ServiceTime.parseISO8601("2001-01-01T00:00:00.1234567Z")?.timeIntervalSinceReferenceDate ?? 0
        #expect(abs(sevenDigits - 0.1234567) < 0.000_000_01)
        for bad in ["2024-13-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.12345678Z",
                    "2024-1-01", "2024-01-01 00:00:00Z", "Mon, 01 Jan 2024 00:00:00 GMT"] {
            #expect(ServiceTime.parseISO8601(bad) == nil, "\(bad)")
        }
    }

    @Test func redactionRemovesSASSignaturesOnly() {
        #expect(StringToSignRedaction.redactSASSignatures(in: "http://h/c/b?sv=1&sig=SECRET%3D&sp=r")
            == "http://h/c/b?sv=1&sig=<redacted>&sp=r")
        #expect(StringToSignRedaction.redactSASSignatures(in: "http://h/c/design=1?sig=SECRET")
            == "http://h/c/design=1?sig=<redacted>")
        #expect(StringToSignRedaction.redact("PUT\n\nx-ms-meta-k:v\n/acct/acct/c\nsig:SECRET") == "PUT\n\nx-ms-meta-k:v\n/acct/acct/c\nsig:<redacted>")
    }
}

/// A small deterministic generator (SplitMix64) so shuffles are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
