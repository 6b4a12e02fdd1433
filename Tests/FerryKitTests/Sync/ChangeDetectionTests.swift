import Foundation
import Testing
@testable import FerryKit

@Suite struct ChangeDetectionTests {
    static let uploaded = Date(timeIntervalSince1970: 1_800_000_000)
    static let sourceTime = Date(timeIntervalSince1970: 1_700_000_000.123456789)
    let byTime = ChangeDetection(comparesHash: false)
    let byHash = ChangeDetection(comparesHash: true)

    func source(size: Int64 = 10, crc: UInt64? = nil) -> ObjectInfo {
        ObjectInfo(path: "a", sizeBytes: size, lastModified: Self.sourceTime, crc64: crc)
    }

    func destination(size: Int64 = 10, recorded: Date? = sourceTime, lastModified: Date = uploaded,
                     crc: UInt64? = nil) -> DestinationEntry {
        DestinationEntry(path: "a", sizeBytes: size, lastModified: lastModified, recordedSourceTime: recorded, crc64: crc)
    }

    @Test func newAndResizedFilesAreCopied() {
        #expect(byTime.verdict(source: source(), sourceTime: Self.sourceTime, destination: nil) == .copy)
        #expect(byTime.verdict(source: source(size: 11), sourceTime: Self.sourceTime, destination: destination()) == .copy)
        #expect(byHash.verdict(source: source(size: 11), sourceTime: Self.sourceTime, destination: destination()) == .copy)
    }

    @Test func aRecordedTimeDecides() {
        #expect(byTime.verdict(source: source(), sourceTime: Self.sourceTime, destination: destination()) == .unchanged)
        // Through a file system and back a time moves by well under a microsecond.
        let nearly = Self.sourceTime.addingTimeInterval(3e-7)
        #expect(byTime.verdict(source: source(), sourceTime: nearly, destination: destination()) == .unchanged)
        // A new time (an edit, or a fresh checkout) is confirmed by checksum, never sent blindly.
        let later = Self.sourceTime.addingTimeInterval(5)
        #expect(byTime.verdict(source: source(), sourceTime: later, destination: destination()) == .confirm)
        let earlier = Self.sourceTime.addingTimeInterval(-5)
        #expect(byTime.verdict(source: source(), sourceTime: earlier, destination: destination()) == .confirm)
    }

    @Test func objectsAnotherToolWroteAreJudgedByLastModified() {
        let foreign = destination(recorded: nil)
        #expect(byTime.verdict(source: source(), sourceTime: Self.sourceTime, destination: foreign) == .unchanged)
        let stale = destination(recorded: nil, lastModified: Self.sourceTime.addingTimeInterval(-60))
        #expect(byTime.verdict(source: source(), sourceTime: Self.sourceTime, destination: stale) == .confirm)
        #expect(byTime.verdict(source: source(), sourceTime: nil, destination: foreign) == .confirm)
    }

    @Test func compareHashDecidesByContentAlone() {
        // Same size and same recorded time, yet different bytes: only --compare-hash sees it.
        let edited = destination(crc: 1)
        #expect(byTime.verdict(source: source(crc: 2), sourceTime: Self.sourceTime, destination: edited) == .unchanged)
        #expect(byHash.verdict(source: source(crc: 2), sourceTime: Self.sourceTime, destination: edited) == .copy)
        #expect(byHash.verdict(source: source(crc: 1), sourceTime: Self.sourceTime.addingTimeInterval(9),
                               destination: edited) == .unchanged)
        #expect(byHash.verdict(source: source(), sourceTime: Self.sourceTime, destination: edited) == .confirm)
    }

    @Test func sourceTimeRoundTripsThroughMetadata() throws {
        let value = SourceTime.metadataValue(Self.sourceTime)
        #expect(value == "1700000000123456768" || value.hasPrefix("17000000001234567"))
        let parsed = try #require(SourceTime.parse(value))
        #expect(SourceTime.same(parsed, Self.sourceTime))
        #expect(SourceTime.parse("2026-01-01") == nil)
        #expect(SourceTime.parse("") == nil)
        let info = ObjectInfo(path: "a", sizeBytes: 1, lastModified: Self.uploaded, metadata: [SourceTime.metadataKey: value])
        #expect(SourceTime.of(info).map { SourceTime.same($0, Self.sourceTime) } == true)
        #expect(SourceTime.of(ObjectInfo(path: "a", sizeBytes: 1, lastModified: Self.uploaded)) == Self.uploaded)
    }

    @Test func deleteLimits() throws {
        #expect(SyncOptions.DeleteLimit("250") == .count(250))
        #expect(SyncOptions.DeleteLimit("5%") == .percent(5))
        #expect(SyncOptions.DeleteLimit("-1") == nil)
        #expect(SyncOptions.DeleteLimit("101%") == nil)
        #expect(SyncOptions.DeleteLimit("x") == nil)
        #expect(SyncOptions.DeleteLimit.percent(5).allowed(destinationCount: 199) == 9)
        #expect(SyncOptions.DeleteLimit.count(3).allowed(destinationCount: 1) == 3)
    }
}
