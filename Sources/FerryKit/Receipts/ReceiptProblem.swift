import Foundation

/// One difference `ferry verify` found between a receipt and a location. Value type.
public struct ReceiptProblem: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// In the receipt, not at the location.
        case missing
        /// At the location, not in the receipt.
        case extra
        /// Both have it; size or CRC-64 differ.
        case different
        /// Both have it; its CRC-64 could not be found (read error, vanished).
        case unreadable
    }

    public var kind: Kind
    public var path: String
    public var expectedSizeBytes: Int64?
    public var actualSizeBytes: Int64?
    public var expectedCRC64: UInt64?
    public var actualCRC64: UInt64?
    public var message: String?

    public init(kind: Kind, path: String, expectedSizeBytes: Int64? = nil, actualSizeBytes: Int64? = nil,
                expectedCRC64: UInt64? = nil, actualCRC64: UInt64? = nil, message: String? = nil) {
        self.kind = kind
        self.path = path
        self.expectedSizeBytes = expectedSizeBytes
        self.actualSizeBytes = actualSizeBytes
        self.expectedCRC64 = expectedCRC64
        self.actualCRC64 = actualCRC64
        self.message = message
    }

    /// `different: a/b.bin (size 10 → 10, crc64 0123… → 4567…)`.
    public var textLine: String {
        switch kind {
        case .missing, .extra: return "\(kind.rawValue): \(path)"
        case .unreadable: return "unreadable: \(path) (\(message ?? "no CRC-64"))"
        case .different:
            var parts: [String] = []
            if let expected = expectedSizeBytes, let actual = actualSizeBytes, expected != actual {
                parts.append("size \(expected) → \(actual)")
            }
            if let expected = expectedCRC64, let actual = actualCRC64, expected != actual {
                parts.append("crc64 \(ReceiptEntry.hex(expected)) → \(ReceiptEntry.hex(actual))")
            }
            return "different: \(path) (\(parts.joined(separator: ", ")))"
        }
    }

    /// The NDJSON line: `{"type":"different","path":…,"expectedSize":…,"actualSize":…,"expectedCrc64":…,"actualCrc64":…}`.
    public var jsonLine: String {
        var line = "{\"type\":\"\(kind.rawValue)\",\"path\":" + ReceiptJSON.quoted(path)
        if let expectedSizeBytes { line += ",\"expectedSize\":\(expectedSizeBytes)" }
        if let actualSizeBytes { line += ",\"actualSize\":\(actualSizeBytes)" }
        if let expectedCRC64 { line += ",\"expectedCrc64\":\"\(ReceiptEntry.hex(expectedCRC64))\"" }
        if let actualCRC64 { line += ",\"actualCrc64\":\"\(ReceiptEntry.hex(actualCRC64))\"" }
        if let message { line += ",\"message\":" + ReceiptJSON.quoted(message) }
        return line + "}"
    }
}
