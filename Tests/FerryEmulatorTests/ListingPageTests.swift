import Testing
@testable import FerryEmulator

@Suite struct ListingPageTests {
    let names = ["a.txt", "dir/one", "dir/sub/two", "dir/three", "z"].map(NameKey.init).sorted()

    private func page(_ names: [NameKey], prefix: String? = nil, delimiter: String? = nil, marker: String? = nil,
                      maxResults: Int = 5000) -> ListingPage {
        ListingPage.paginate(sortedNames: names, prefix: prefix, delimiter: delimiter, marker: marker, maxResults: maxResults)
    }

    private func blob(_ name: String) -> ListingPage.Item { .blob(NameKey(name)) }
    private func folder(_ name: String) -> ListingPage.Item { .prefix(NameKey(name)) }

    @Test func flatPagesFollowTheMarker() {
        let first = page(names, maxResults: 2)
        #expect(first.items == [blob("a.txt"), blob("dir/one")])
        let second = page(names, marker: first.nextMarker, maxResults: 2)
        #expect(second.items == [blob("dir/sub/two"), blob("dir/three")])
        let third = page(names, marker: second.nextMarker, maxResults: 2)
        #expect(third.items == [blob("z")])
        #expect(third.nextMarker == nil)
    }

    @Test func delimiterFoldsFoldersIntoPrefixes() {
        #expect(page(names, delimiter: "/").items == [blob("a.txt"), folder("dir/"), blob("z")])
        #expect(page(names, prefix: "dir/", delimiter: "/").items == [blob("dir/one"), folder("dir/sub/"), blob("dir/three")])
    }

    @Test func aPrefixIsNotRepeatedOnTheNextPage() {
        let first = page(names, delimiter: "/", maxResults: 2)
        #expect(first.items == [blob("a.txt"), folder("dir/")])
        #expect(page(names, delimiter: "/", marker: first.nextMarker, maxResults: 2).items == [blob("z")])
    }

    @Test func ordersByBytes() {
        #expect(ByteOrder.less("B", "a"))
        #expect(ByteOrder.less("a", "ä"))
        #expect(NameKey("cafe\u{301}") < NameKey("caf\u{E9}"))
    }

    /// NFC `é` (C3 A9) and NFD `e` + U+0301 (65 CC 81) are canonically equivalent Strings but
    /// different names: two folders, and a prefix of one does not match the other.
    @Test func canonicallyEquivalentNamesStayApart() {
        let (nfc, nfd) = ("caf\u{E9}", "cafe\u{301}")
        #expect(NameKey(nfc) != NameKey(nfd))
        #expect(Set([NameKey(nfc), NameKey(nfd)]).count == 2)
        let names = [nfc + "/1", nfd + "/2"].map(NameKey.init).sorted()
        #expect(names.map { Array($0.text.utf8) } == [Array((nfd + "/2").utf8), Array((nfc + "/1").utf8)])
        #expect(page(names, delimiter: "/").items == [folder(nfd + "/"), folder(nfc + "/")])
        #expect(page(names, prefix: nfd).items == [blob(nfd + "/2")])
        #expect(page(names, prefix: nfc).items == [blob(nfc + "/1")])
        #expect(page(names, marker: nfc).items == [blob(nfc + "/1")])
    }

    /// A `/` followed by a combining mark is one Character, but still a delimiter byte.
    @Test func delimiterIsFoundBeforeACombiningMark() {
        let names = ["a/\u{301}x", "b"].map(NameKey.init).sorted()
        #expect(page(names, delimiter: "/").items == [folder("a/"), blob("b")])
    }
}
