import Testing
@testable import FerryEmulator

@Suite struct ByteRangeTests {
    @Test func parsesForms() {
        #expect(ByteRange.parse("bytes=0-99") == .from(start: 0, end: 99))
        #expect(ByteRange.parse("bytes=100-") == .from(start: 100, end: nil))
        #expect(ByteRange.parse("bytes=-5") == .suffix(length: 5))
        #expect(ByteRange.parse("bytes=5-1") == nil)
        #expect(ByteRange.parse("bytes=0-1,3-4") == nil)
        #expect(ByteRange.parse("items=0-1") == nil)
    }

    @Test func xmsRangeWinsOverRange() {
        #expect(ByteRange.fromHeaders(xmsRange: "bytes=1-2", range: "bytes=3-4") == .from(start: 1, end: 2))
        #expect(ByteRange.fromHeaders(xmsRange: nil, range: "bytes=3-4") == .from(start: 3, end: 4))
    }

    @Test func resolvesAgainstSize() {
        #expect(ByteRange.from(start: 0, end: 99).resolve(size: 50) == .partial(start: 0, end: 49))
        #expect(ByteRange.from(start: 10, end: nil).resolve(size: 50) == .partial(start: 10, end: 49))
        #expect(ByteRange.from(start: 50, end: nil).resolve(size: 50) == .unsatisfiable)
        #expect(ByteRange.from(start: 0, end: 0).resolve(size: 0) == .unsatisfiable)
        #expect(ByteRange.suffix(length: 10).resolve(size: 4) == .partial(start: 0, end: 3))
    }
}
