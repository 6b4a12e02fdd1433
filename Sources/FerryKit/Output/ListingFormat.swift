#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The lines `ferry ls` prints, one per entry, and its total. Pure; safe from any thread.
///
/// Text: five columns separated by two spaces — modification time (ISO 8601 UTC, whole
/// seconds), size (bytes, or `1.5 MiB` with `humanReadable`), stored CRC-64/NVME (16 hex
/// digits), stored Content-MD5 (base64, as Azure shows it), path — with `-` where a value is
/// unknown; a directory shows `-`, `DIR`, `-`, `-` and its path ending in `/`.
///
/// JSON (one object per line): `{"type":"object","path":…,"sizeBytes":…,"lastModified":…,
/// "crc64":…,"contentMD5":…,"etag":…}` (the last four only when known; `lastModified` ISO 8601
/// UTC with milliseconds; `crc64` 16 lower-case hex digits; `contentMD5` base64) or
/// `{"type":"directory","path":"sub/"}`; the last line is
/// `{"type":"summary","objects":N,"bytes":B,"directories":D}`.
public enum ListingFormat {
    public static func textLine(_ entry: ListingEntry, humanReadable: Bool) -> String {
        switch entry {
        case .directory(let path):
            return [pad("-", 20), leftPad("DIR", humanReadable ? 10 : 14), pad("-", 16), pad("-", 24), path]
                .joined(separator: "  ")
        case .object(let info):
            let time = info.lastModified.map { isoUTC($0, milliseconds: false) } ?? "-"
            let size = humanReadable ? ByteCount.format(info.sizeBytes) : String(info.sizeBytes)
            return [pad(time, 20), leftPad(size, humanReadable ? 10 : 14), pad(info.crc64.map(hex) ?? "-", 16),
                    pad(info.contentMD5.map { $0.base64EncodedString() } ?? "-", 24), info.path].joined(separator: "  ")
        }
    }

    public static func jsonLine(_ entry: ListingEntry) -> String {
        switch entry {
        case .directory(let path):
            return encode(Line(type: "directory", path: path))
        case .object(let info):
            var line = Line(type: "object", path: info.path)
            line.sizeBytes = info.sizeBytes
            line.lastModified = info.lastModified.map { isoUTC($0, milliseconds: true) }
            line.crc64 = info.crc64.map(hex)
            line.contentMD5 = info.contentMD5.map { $0.base64EncodedString() }
            line.etag = info.etag
            return encode(line)
        }
    }

    /// `total: 3 objects, 3072 bytes` (`3.0 KiB` with `humanReadable`), `, 2 directories` when any.
    public static func totalText(objects: Int, bytes: Int64, directories: Int, humanReadable: Bool) -> String {
        let size = humanReadable ? ByteCount.format(bytes) : "\(bytes) bytes"
        return "total: \(objects) objects, \(size)" + (directories > 0 ? ", \(directories) directories" : "")
    }

    public static func totalJSON(objects: Int, bytes: Int64, directories: Int) -> String {
        var line = Line(type: "summary")
        line.objects = objects
        line.bytes = bytes
        line.directories = directories
        return encode(line)
    }

    /// 16 lower-case hex digits.
    public static func hex(_ crc: UInt64) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `2026-12-04T17:15:41Z` (or `…41.123Z`), UTC.
    public static func isoUTC(_ date: Date, milliseconds: Bool) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        if milliseconds {
            let millis = min(999, Int(((interval - interval.rounded(.down)) * 1000).rounded(.down)))
            text += String(format: ".%03d", millis)
        }
        return text + "Z"
    }

    private struct Line: Encodable {
        var type: String
        var path: String?
        var sizeBytes: Int64?
        var lastModified: String?
        var crc64: String?
        var contentMD5: String?
        var etag: String?
        var objects: Int?
        var bytes: Int64?
        var directories: Int?
    }

    private static func encode(_ line: Line) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(line) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
