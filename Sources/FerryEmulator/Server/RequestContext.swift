import NIOHTTP1

/// One routed request as the operations see it: route, head, ids and the fault it drew.
/// Value type; used by the connection's task.
struct RequestContext {
    let route: Route
    let head: HTTPRequestHead
    let requestID: String
    let fault: InjectedFault?
    /// `http://host/account/` for listing answers.
    let serviceEndpoint: String

    var container: String { route.container ?? "" }
    var blob: String { route.blob ?? "" }
    var isHead: Bool { head.method == .HEAD }

    func header(_ name: String) -> String? { head.headers.first(name: name) }

    func query(_ name: String) -> String? { route.query[name] }

    var conditions: AccessConditions {
        get throws(ServiceError) { try AccessConditions.parse(header: { header($0) }) }
    }

    /// The `x-ms-meta-*` headers, names as sent (≤ 8 KiB in total, A8).
    var metadata: [MetadataEntry] {
        get throws(ServiceError) {
            var entries: [MetadataEntry] = []
            var total = 0
            for (name, value) in head.headers where name.lowercased().hasPrefix("x-ms-meta-") {
                let key = String(name.dropFirst(10))
                guard !key.isEmpty, key.first!.isLetter || key.first == "_",
                      key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw ServiceError(status: 400, code: "InvalidMetadata",
                                       message: "The metadata specified is invalid. It has characters that are not permitted.")
                }
                total += key.utf8.count + value.utf8.count
                entries.append(MetadataEntry(name: key, value: value.trimmingSpaces()))
            }
            if total > 8 * 1024 {
                throw ServiceError(status: 400, code: "MetadataTooLarge",
                                   message: "The size of the request metadata exceeds the maximum size permitted.")
            }
            return entries
        }
    }

    /// The `x-ms-access-tier` header's tier; nil when absent or empty, 400 when unknown.
    var accessTier: AccessTier? {
        get throws(ServiceError) { try AccessTier.parse(header("x-ms-access-tier").flatMap { $0.isEmpty ? nil : $0 }) }
    }

    /// Declared body length, if any.
    var contentLength: Int64? { header("content-length").flatMap { Int64($0.trimmingSpaces()) } }

    var hasBody: Bool { (contentLength ?? 0) > 0 || head.headers.contains(name: "transfer-encoding") }
}
