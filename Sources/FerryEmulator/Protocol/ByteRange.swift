/// A requested byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) and how it resolves against a
/// blob size (PROTOCOLS.md A6). Pure value type; safe from any thread.
enum ByteRange: Equatable, Sendable {
    case from(start: Int64, end: Int64?)
    case suffix(length: Int64)

    /// What a GET serves once the blob size is known.
    enum Resolution: Equatable {
        case whole
        /// Inclusive bounds, already clamped to the blob.
        case partial(start: Int64, end: Int64)
        case unsatisfiable
    }

    /// `x-ms-range` wins over `Range`; a header that is not a single byte range is ignored (nil).
    static func fromHeaders(xmsRange: String?, range: String?) -> ByteRange? {
        if let xmsRange, let parsed = parse(xmsRange) { return parsed }
        if let range { return parse(range) }
        return nil
    }

    static func parse(_ text: String) -> ByteRange? {
        let trimmed = text.trimmingSpaces()
        guard trimmed.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = trimmed.dropFirst(6)
        guard !spec.utf8.contains(UInt8(ascii: ",")), let dash = spec.firstIndex(of: "-") else { return nil }
        let startText = spec[..<dash]
        let endText = spec[spec.index(after: dash)...]
        if startText.isEmpty {
            guard let length = Int64(endText), length > 0 else { return nil }
            return .suffix(length: length)
        }
        guard let start = Int64(startText), start >= 0 else { return nil }
        if endText.isEmpty { return .from(start: start, end: nil) }
        guard let end = Int64(endText), end >= start else { return nil }
        return .from(start: start, end: end)
    }

    func resolve(size: Int64) -> Resolution {
        switch self {
        case .from(let start, let end):
            guard start < size else { return .unsatisfiable }
            return .partial(start: start, end: min(end ?? (size - 1), size - 1))
        case .suffix(let length):
            guard size > 0 else { return .unsatisfiable }
            return .partial(start: max(0, size - length), end: size - 1)
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
