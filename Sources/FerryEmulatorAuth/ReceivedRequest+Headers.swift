import Foundation

extension ReceivedRequest {
    /// The value of header `name` (case-insensitive); repeated headers joined with `,` as HTTP
    /// allows. `nil` when the header is absent.
    func headerValue(_ name: String) -> String? {
        let values = headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// Every `x-ms-*` header as (lower-cased name, value), repeated names merged in wire order.
    var microsoftHeaders: [(name: String, value: String)] {
        var merged: [(name: String, value: String)] = []
        for header in headers {
            let name = header.name.lowercased()
            guard name.hasPrefix("x-ms-") else { continue }
            if let index = merged.firstIndex(where: { $0.name == name }) {
                merged[index].value += "," + header.value
            } else {
                merged.append((name, header.value))
            }
        }
        return merged
    }

    var query: QueryParameters { QueryParameters(rawQuery: rawQuery) }
}
