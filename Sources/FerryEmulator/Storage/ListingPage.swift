/// One page of a listing over sorted names, with prefix, delimiter (→ prefixes), marker and
/// `maxresults` (A7). The marker is the first name of the next page, inclusive. Pure.
struct ListingPage: Equatable {
    enum Item: Equatable {
        case blob(String)
        case prefix(String)
    }

    var items: [Item]
    /// nil when the listing is complete.
    var nextMarker: String?

    static func paginate(sortedNames: [String], prefix: String?, delimiter: String?, marker: String?,
                         maxResults: Int) -> ListingPage {
        let prefix = prefix ?? ""
        let delimiter = (delimiter?.isEmpty ?? true) ? nil : delimiter
        var start = prefix
        if let marker, ByteOrder.less(start, marker) { start = marker }
        var index = lowerBound(sortedNames, start)
        var items: [Item] = []
        var lastPrefix: String?
        while index < sortedNames.count {
            let name = sortedNames[index]
            guard name.utf8.starts(with: prefix.utf8) else { break }
            var item = Item.blob(name)
            if let delimiter {
                let rest = name.utf8.dropFirst(prefix.utf8.count)
                if let range = Substring(rest).range(of: delimiter) {
                    let folder = prefix + String(Substring(rest)[..<range.upperBound])
                    if folder == lastPrefix {
                        index += 1
                        continue
                    }
                    item = .prefix(folder)
                }
            }
            if items.count >= maxResults { return ListingPage(items: items, nextMarker: name) }
            if case .prefix(let folder) = item { lastPrefix = folder }
            items.append(item)
            index += 1
        }
        return ListingPage(items: items, nextMarker: nil)
    }

    /// The first index whose name is ≥ `value` in byte order.
    static func lowerBound(_ names: [String], _ value: String) -> Int {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if ByteOrder.less(names[middle], value) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
