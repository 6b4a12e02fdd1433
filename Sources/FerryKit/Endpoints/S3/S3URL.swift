import Foundation

/// What the user typed for an S3 side: `s3://BUCKET/PREFIX`, or a presigned
/// `https://…?X-Amz-Signature=…` URL (a read-only single-object source).
/// The bucket prefix is taken literally (as the AWS CLI does: no percent-decoding); a trailing `/`
/// is dropped. Value type; safe to share between threads.
enum S3URL: Sendable, Hashable {
    case bucket(name: String, prefix: String)
    /// The URL exactly as given.
    case presigned(String)

    init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("s3://") {
            let rest = trimmed.dropFirst(5)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let bucket = String(rest[..<slash])
            guard !bucket.isEmpty, !bucket.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else {
                throw Self.usage(text, "it names no valid bucket (s3://BUCKET/PREFIX)")
            }
            var prefix = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : ""
            while prefix.hasSuffix("/") { prefix.removeLast() }
            self = .bucket(name: bucket, prefix: prefix)
            return
        }
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            guard let question = trimmed.firstIndex(of: "?"),
                  Self.queryNames(trimmed[trimmed.index(after: question)...]).contains("x-amz-signature") else {
                throw Self.usage(text, "an http(s) URL is accepted only as a presigned URL (with X-Amz-Signature); use s3://BUCKET/PREFIX")
            }
            self = .presigned(trimmed)
            return
        }
        throw Self.usage(text, "it does not start with s3://")
    }

    private static func queryNames(_ query: Substring) -> Set<String> {
        Set(query.split(separator: "&").map { pair in
            let name = String(pair.prefix(while: { $0 != "=" }))
            return (name.removingPercentEncoding ?? name).lowercased()
        })
    }

    static func usage(_ text: String, _ reason: String) -> FerryError {
        FerryError(.usage, "invalid S3 URL '\(Redaction.url(text))': \(reason)", disposition: .abortJob)
    }
}
