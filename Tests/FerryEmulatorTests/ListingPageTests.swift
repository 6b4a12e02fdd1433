import Testing
@testable import FerryEmulator

@Suite struct ListingPageTests {
    let names = ["a.txt", "dir/one", "dir/sub/two", "dir/three", "z"].sorted(by: ByteOrder.less)

    @Test func flatPagesFollowTheMarker() {
        let first = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: nil, marker: nil, maxResults: 2)
        #expect(first.items == [.blob("a.txt"), .blob("dir/one")])
        let second = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: nil, marker: first.nextMarker, maxResults: 2)
        #expect(second.items == [.blob("dir/sub/two"), .blob("dir/three")])
        let third = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: nil, marker: second.nextMarker, maxResults: 2)
        #expect(third.items == [.blob("z")])
        #expect(third.nextMarker == nil)
    }

    @Test func delimiterFoldsFoldersIntoPrefixes() {
        let top = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: "/", marker: nil, maxResults: 5000)
        #expect(top.items == [.blob("a.txt"), .prefix("dir/"), .blob("z")])
        let inside = ListingPage.paginate(sortedNames: names, prefix: "dir/", delimiter: "/", marker: nil, maxResults: 5000)
        #expect(inside.items == [.blob("dir/one"), .prefix("dir/sub/"), .blob("dir/three")])
    }

    @Test func aPrefixIsNotRepeatedOnTheNextPage() {
        let first = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: "/", marker: nil, maxResults: 2)
        #expect(first.items == [.blob("a.txt"), .prefix("dir/")])
        let second = ListingPage.paginate(sortedNames: names, prefix: nil, delimiter: "/", marker: first.nextMarker, maxResults: 2)
        #expect(second.items == [.blob("z")])
    }

    @Test func ordersByBytes() {
        #expect(ByteOrder.less("B", "a"))
        #expect(ByteOrder.less("a", "ä"))
    }
}
