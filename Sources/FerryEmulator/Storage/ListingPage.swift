/// One page of a listing over sorted names, with prefix, delimiter (→ prefixes), marker and
/// `maxresults` (A7). The marker is the first name of the next page, inclusive. Prefix, marker
/// and delimiter match UTF-8 bytes, never canonically equivalent text (`NameKey`). Pure.
struct ListingPage: Equatable {
    enum Item: Equatable {
        case blob(NameKey)
        case prefix(NameKey)
    }

    var items: [Item]
    /// nil when the listing is complete.
    var nextMarker: String?

    static func paginate(sortedNames: [NameKey], prefix: String?, delimiter: String?, marker: String?,
                         maxResults: Int) -> ListingPage {
        let prefix = prefix ?? ""
        let delimiter = (delimiter?.isEmpty ?? true) ? nil : delimiter
        var start = prefix
        if let marker, ByteOrder.less(start, marker) { start = marker }
        var index = lowerBound(sortedNames, NameKey(start))
        var items: [Item] = []
        var lastPrefix: NameKey?
        while index < sortedNames.count {
            let name = sortedNames[index]
            guard name.hasBytePrefix(prefix) else { break }
            var item = Item.blob(name)
            if let delimiter, let end = endOfFirst(delimiter, in: name.text, after: prefix.utf8.count) {
                let folder = name.text.utf8[..<end]
                if let lastPrefix, lastPrefix.text.utf8.elementsEqual(folder) {
                    index += 1
                    continue
                }
                item = .prefix(NameKey(String(decoding: folder, as: UTF8.self)))
            }
            if items.count >= maxResults { return ListingPage(items: items, nextMarker: name.text) }
            if case .prefix(let folder) = item { lastPrefix = folder }
            items.append(item)
            index += 1
        }
        return ListingPage(items: items, nextMarker: nil)
    }

    /// The index just past the first occurrence of `delimiter`'s bytes in `name` at or after
    /// byte `offset`, or nil. A byte search: `range(of:)` would miss a `/` that a combining mark
    /// follows (the two form one character).
    static func endOfFirst(_ delimiter: String, in name: String, after offset: Int) -> String.Index? {
        let bytes = name.utf8
        let needle = delimiter.utf8
        guard let first = needle.first else { return nil }
        var index = bytes.index(bytes.startIndex, offsetBy: offset)
        while let found = bytes[index...].firstIndex(of: first) {
            let rest = bytes[found...]
            if rest.starts(with: needle) { return bytes.index(found, offsetBy: needle.count) }
            index = bytes.index(after: found)
        }
        return nil
    }

    /// The first index whose name is ≥ `value` in byte order.
    static func lowerBound(_ names: [NameKey], _ value: NameKey) -> Int {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
