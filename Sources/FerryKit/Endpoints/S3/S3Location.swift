import Foundation

/// A resolved S3 bucket prefix: which service URL to call, how the bucket goes into it, and the
/// signing region. Value type; safe to share between threads.
struct S3Location: Sendable, Hashable {
    var scheme: String
    /// The service host with `:port` when not the scheme's default (what `Host` carries).
    var serviceAuthority: String
    /// Path of the endpoint URL before the bucket, without a trailing `/` (usually "").
    var basePath: String
    var bucket: String
    /// Key prefix under the bucket, without leading or trailing `/` ("" = whole bucket).
    var prefix: String
    var isVirtualHosted: Bool
    var region: String

    /// The `Host` of every request: the bucket is the first label in virtual-hosted style.
    var requestAuthority: String { isVirtualHosted ? "\(bucket).\(serviceAuthority)" : serviceAuthority }

    /// The URI path of the bucket (`key` nil) or of an object, each key segment percent-encoded.
    func encodedPath(key: String?) -> String {
        var path = basePath + (isVirtualHosted ? "" : "/" + S3Signer.encode(bucket))
        if let key {
            path += "/" + S3Signer.encodePath(key)
        }
        return path.isEmpty ? "/" : path
    }

    /// The full key of the object at `path` relative to the root (the root itself for "").
    func objectKey(for path: String) -> String {
        if prefix.isEmpty { return path }
        return path.isEmpty ? prefix : prefix + "/" + path
    }

    /// `s3://bucket/key`, for messages (S3 URLs carry no secrets).
    func describe(key: String?) -> String {
        guard let key, !key.isEmpty else { return "s3://\(bucket)" }
        return "s3://\(bucket)/\(key)"
    }

    var redactedDescription: String {
        "\(describe(key: prefix)) (\(scheme)://\(serviceAuthority)\(basePath), \(isVirtualHosted ? "virtual-hosted" : "path") style, \(region))"
    }

    /// Resolves the service URL (option, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, profile
    /// `endpoint_url`, else AWS), the region (option, `AWS_REGION`, `AWS_DEFAULT_REGION`, profile,
    /// else `us-east-1`) and the addressing style (`.auto`: virtual only for AWS hosts and
    /// DNS-safe bucket names without dots, which a wildcard TLS certificate would not cover).
    static func resolve(bucket: String, prefix: String, options: S3EndpointOptions,
                        environment: [String: String], profile: S3Profile) throws -> S3Location {
        func nonEmpty(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        let region = nonEmpty(options.region) ?? nonEmpty(environment["AWS_REGION"])
            ?? nonEmpty(environment["AWS_DEFAULT_REGION"]) ?? nonEmpty(profile.values["region"]) ?? "us-east-1"
        let endpoint = nonEmpty(options.endpointURL) ?? nonEmpty(environment["AWS_ENDPOINT_URL_S3"])
            ?? nonEmpty(environment["AWS_ENDPOINT_URL"]) ?? nonEmpty(profile.values["s3.endpoint_url"])
            ?? nonEmpty(profile.values["endpoint_url"]) ?? "https://s3.\(region).amazonaws.com"

        guard let schemeEnd = endpoint.range(of: "://") else {
            throw usage(endpoint, "it does not start with https:// or http://")
        }
        let scheme = endpoint[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw usage(endpoint, "the scheme must be https or http") }
        let afterScheme = endpoint[schemeEnd.upperBound...]
        guard !afterScheme.contains("?"), !afterScheme.contains("@") else {
            throw usage(endpoint, "it must not carry a query or user name")
        }
        let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        var authority = afterScheme[..<pathStart].lowercased()
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
        guard !authority.isEmpty else { throw usage(endpoint, "it has no host") }
        var basePath = String(afterScheme[pathStart...])
        while basePath.hasSuffix("/") { basePath.removeLast() }

        let host = hostName(of: authority)
        let virtual: Bool
        switch options.addressing == .auto ? (profileAddressing(profile) ?? .auto) : options.addressing {
        case .path: virtual = false
        case .virtual: virtual = true
        case .auto: virtual = isAWSHost(host) && isDNSSafe(bucket) && basePath.isEmpty
        }
        return S3Location(scheme: scheme, serviceAuthority: authority, basePath: basePath, bucket: bucket,
                          prefix: prefix, isVirtualHosted: virtual, region: region)
    }

    /// The profile's `s3 = \n addressing_style = …` applies only when the option was left on auto.
    private static func profileAddressing(_ profile: S3Profile) -> S3Addressing? {
        profile.values["s3.addressing_style"].flatMap { S3Addressing(rawValue: $0.lowercased()) }
            .flatMap { $0 == .auto ? nil : $0 }
    }

    static func isAWSHost(_ host: String) -> Bool {
        host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn")
    }

    /// 3–63 of `[a-z0-9-]`, starting and ending with a letter or digit.
    static func isDNSSafe(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), bucket.first != "-", bucket.last != "-" else { return false }
        return bucket.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func hostName(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return String(authority.prefix(while: { $0 != ":" }))
    }

    private static func usage(_ endpoint: String, _ reason: String) -> FerryError {
        FerryError(.usage, "invalid S3 endpoint URL '\(Redaction.url(endpoint))': \(reason)", disposition: .abortJob)
    }
}
