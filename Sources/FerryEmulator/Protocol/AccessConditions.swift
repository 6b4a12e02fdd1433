import Foundation

/// The `If-*` headers of a request and their verdict against a resource (PROTOCOLS.md A11).
/// Dates compare at 1-second granularity. Pure value type; safe from any thread.
struct AccessConditions: Sendable, Equatable {
    var ifMatch: String?
    var ifNoneMatch: String?
    var ifModifiedSince: Date?
    var ifUnmodifiedSince: Date?

    /// What the caller does next.
    enum Verdict: Equatable {
        case proceed
        case notModified
        case preconditionFailed
        case alreadyExists
    }

    /// The kind of request being judged: reads answer 304, writes 412; creates answer 409 to
    /// `If-None-Match: *` on an existing blob.
    enum Kind { case read, write, create }

    var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil }

    /// Parses the four headers; more than one ETag in a header is 400 (A11). Unparseable dates
    /// are ignored, as HTTP says.
    static func parse(header: (String) -> String?) throws(ServiceError) -> AccessConditions {
        func etag(_ name: String) throws(ServiceError) -> String? {
            guard let value = header(name)?.trimmingSpaces(), !value.isEmpty else { return nil }
            if value.contains(",") {
                throw ServiceError(status: 400, code: "MultipleConditionHeadersNotSupported",
                                   message: "Multiple condition headers are not supported.")
            }
            return stripQuotes(value)
        }
        return AccessConditions(ifMatch: try etag("if-match"), ifNoneMatch: try etag("if-none-match"),
                                ifModifiedSince: header("if-modified-since").flatMap(HTTPDate.parse),
                                ifUnmodifiedSince: header("if-unmodified-since").flatMap(HTTPDate.parse))
    }

    static func stripQuotes(_ etag: String) -> String {
        var text = Substring(etag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return String(text)
    }

    /// Judges the conditions against the resource's ETag (unquoted) and Last-Modified, or nil if
    /// the resource does not exist.
    func evaluate(etag: String?, lastModified: Date?, kind: Kind) -> Verdict {
        guard let etag, let lastModified else {
            // Only If-Match can fail on a missing resource (If-Match: * too).
            return ifMatch != nil ? .preconditionFailed : .proceed
        }
        let modifiedSecond = lastModified.timeIntervalSince1970.rounded(.down)
        if let ifMatch {
            if ifMatch != "*" && ifMatch != etag { return .preconditionFailed }
        } else if let ifUnmodifiedSince, modifiedSecond > ifUnmodifiedSince.timeIntervalSince1970 {
            return .preconditionFailed
        }
        let notModified: Verdict = kind == .read ? .notModified : .preconditionFailed
        if let ifNoneMatch {
            if ifNoneMatch == "*" { return kind == .create ? .alreadyExists : notModified }
            if ifNoneMatch == etag { return notModified }
        } else if let ifModifiedSince, modifiedSecond <= ifModifiedSince.timeIntervalSince1970 {
            return notModified
        }
        return .proceed
    }

    /// The verdict as an error to answer with, or nil to proceed.
    func check(etag: String?, lastModified: Date?, kind: Kind) -> ServiceError? {
        switch evaluate(etag: etag, lastModified: lastModified, kind: kind) {
        case .proceed: nil
        case .notModified: ServiceError(status: 304, code: "ConditionNotMet",
                                        message: "The condition specified using HTTP conditional header(s) is not met.")
        case .preconditionFailed: .conditionNotMet()
        case .alreadyExists: .blobAlreadyExists()
        }
    }
}
