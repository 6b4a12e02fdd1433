/// The `NextMarker` a listing hands out and reads back. Clients treat it as opaque; here it is
/// the next page's first name, except that a name XML cannot carry (U+FFFE, U+FFFF) is sent as
/// `prefix` + its percent-encoded UTF-8 — and so is any name that itself starts with `prefix`, so
/// reading a marker back is never ambiguous. Pure; safe from any thread.
enum ListingMarker {
    static let prefix = "~pct~"

    static func issue(_ name: String?) -> String? {
        guard let name else { return nil }
        guard BlobNameRules.needsEncoding(name) || name.utf8.starts(with: prefix.utf8) else { return name }
        return prefix + BlobNameRules.percentEncoded(name)
    }

    /// The name a received marker stands for; 400 when an encoded marker is malformed.
    static func read(_ marker: String?) throws(ServiceError) -> String? {
        guard let marker, marker.utf8.starts(with: prefix.utf8) else { return marker }
        let encoded = Substring(marker).utf8.dropFirst(prefix.utf8.count)
        guard let name = RequestRouter.percentDecode(Substring(encoded)) else {
            throw ServiceError(status: 400, code: "OutOfRangeQueryParameterValue",
                               message: "One of the query parameters specified in the request URI is outside the permissible range.",
                               details: [("QueryParameterName", "marker"), ("QueryParameterValue", marker)])
        }
        return name
    }

    /// A query value echoed in a listing, or nil when XML 1.0 could not carry it.
    static func echoable(_ value: String?) -> String? {
        guard let value, !BlobNameRules.needsEncoding(value),
              !value.unicodeScalars.contains(where: { BlobNameRules.isControl($0) && $0 != "\t" && $0 != "\n" && $0 != "\r" })
        else { return nil }
        return value
    }
}
