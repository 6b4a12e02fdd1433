import Foundation

/// The modification time of a dataset file as its owner knows it, carried across stores so a sync
/// can tell "unchanged" without reading bytes: a local file's mtime; for an object Ferry uploaded,
/// that file's mtime, recorded as metadata `ferrymtime` (nanoseconds since 1970, decimal); for
/// any other object, its Last-Modified. A download gives the local file this time, so the next
/// sync in either direction sees the same value. Pure; safe from any thread.
public enum SourceTime {
    /// Metadata key under which Ferry records the source modification time of an upload.
    public static let metadataKey = "ferrymtime"

    /// Two times closer than this are the same time: a `Date` (a Double of seconds) cannot hold
    /// every nanosecond, so a time that went through a file system and back can move by ~0.2 µs.
    public static let toleranceSeconds = 1e-6

    public static func metadataValue(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1e9).rounded()))
    }

    /// Parses `metadataValue`'s form; nil for anything else (another tool's metadata).
    public static func parse(_ text: String) -> Date? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let nanos = Int64(text) else { return nil }
        return Date(timeIntervalSince1970: Double(nanos) / 1e9)
    }

    /// The time Ferry recorded on an object it uploaded, if any.
    public static func recorded(in info: ObjectInfo) -> Date? {
        info.metadata[metadataKey].flatMap(parse)
    }

    /// The dataset time of an object as a source: recorded time, else Last-Modified.
    public static func of(_ info: ObjectInfo) -> Date? { recorded(in: info) ?? info.lastModified }

    public static func same(_ first: Date, _ second: Date) -> Bool {
        abs(first.timeIntervalSince1970 - second.timeIntervalSince1970) < toleranceSeconds
    }
}
