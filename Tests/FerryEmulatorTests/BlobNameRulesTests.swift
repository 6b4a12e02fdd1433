import Testing
@testable import FerryEmulator

/// Which blob names the emulator takes, how listings carry the ones XML cannot, and the markers.
@Suite struct BlobNameRulesTests {
    private func code(_ name: String) -> String? {
        do {
            try BlobNameRules.validate(name)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func theLimitIs1024UTF16CodeUnits() {
        #expect(code(String(repeating: "\u{6F22}", count: 408)) == nil)   // 1,224 bytes
        #expect(code(String(repeating: "\u{5B57}", count: 1024)) == nil)  // 3,072 bytes
        #expect(code(String(repeating: "\u{5B57}", count: 1025)) == "InvalidResourceName")
        #expect(code(String(repeating: "\u{1F600}", count: 512)) == nil)  // 1,024 code units
        #expect(code(String(repeating: "\u{1F600}", count: 512) + "a") == "InvalidResourceName")
    }

    @Test(arguments: ["a\u{0}b", "a\u{1}b", "tab\t", "\n", "\r", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}", "dir/\u{1}/x"])
    func controlCharactersAreInvalidUri(name: String) {
        #expect(code(name) == "InvalidUri")
        #expect(throws: ServiceError.self) { try RequestRouter.route(method: "PUT", rawPath: "/acct/cont/" + percent(name), rawQuery: "") }
    }

    @Test func otherCharactersPass() {
        for name in ["\u{A0}nbsp", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "caf\u{E9}", "\u{10FFFF}", " spaces ", "a/\u{301}b"] {
            #expect(code(name) == nil, "\(name.debugDescription)")
        }
    }

    @Test func onlyNoncharactersNeedEncoding() {
        #expect(BlobNameRules.needsEncoding("odd\u{FFFF}"))
        #expect(BlobNameRules.needsEncoding("\u{FFFE}dir/"))
        #expect(!BlobNameRules.needsEncoding("\u{FFFD}caf\u{E9} & <tag>"))
        #expect(BlobNameRules.percentEncoded("d\u{FFFE}/a b+%.~_-") == "d%EF%BF%BE/a%20b%2B%25.~_-")
    }

    @Test func versionsFrom2021_02_12ListEncodedNames() {
        #expect(BlobNameRules.listsEncodedNames(version: "2021-02-12"))
        #expect(BlobNameRules.listsEncodedNames(version: "2025-01-05"))
        #expect(BlobNameRules.listsEncodedNames(version: nil))
        #expect(!BlobNameRules.listsEncodedNames(version: "2020-10-02"))
    }

    @Test func markersRoundTripAndStayXMLSafe() throws {
        for name in ["plain", "odd\u{FFFF}", "~pct~looks-encoded", "~pct~%41", "\u{FFFE}/x y"] {
            let marker = try #require(ListingMarker.issue(name))
            #expect(!BlobNameRules.needsEncoding(marker))
            #expect(try ListingMarker.read(marker).map { Array($0.utf8) } == Array(name.utf8))
        }
        #expect(ListingMarker.issue("plain") == "plain")
        #expect(throws: ServiceError.self) { try ListingMarker.read("~pct~%Z1") }
        #expect(ListingMarker.echoable("a\u{FFFF}") == nil)
        #expect(ListingMarker.echoable("a\u{1}") == nil)
        #expect(ListingMarker.echoable("dir/") == "dir/")
    }

    @Test func tiersParseCaseInsensitivelyAndRefuseTheRest() throws {
        #expect(try AccessTier.parse("cool") == .cool)
        #expect(try AccessTier.parse("Archive") == .archive)
        #expect(try AccessTier.parse(nil) == nil)
        for bad in ["P10", "Premium", "warm", ""] {
            #expect(throws: ServiceError.self) { try AccessTier.parse(bad) }
        }
        #expect(try RequestRouter.route(method: "PUT", rawPath: "/acct/cont/b", rawQuery: "comp=tier").operation == .setBlobTier)
    }

    private func percent(_ text: String) -> String {
        text.utf8.map { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2F
                ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }.joined()
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
