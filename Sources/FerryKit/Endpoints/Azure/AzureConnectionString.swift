import Foundation

/// The parts of an Azure Storage connection string (`Key=Value;…`) that Ferry uses.
/// Keys are matched case-insensitively; values may contain `=` (base64 keys, SAS tokens).
/// Value type; safe to share between threads. Its description never shows the key or SAS.
public struct AzureConnectionString: Sendable, CustomStringConvertible {
    public var accountName: String?
    /// The account key as given (base64).
    public var accountKey: String?
    /// `BlobEndpoint`, which overrides protocol, account and suffix when present.
    public var blobEndpoint: String?
    /// `SharedAccessSignature`, without a leading `?`.
    public var sharedAccessSignature: String?
    public var defaultEndpointsProtocol: String?
    public var endpointSuffix: String?

    public init(parsing text: String) throws {
        var fields: [String: String] = [:]
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw FerryError(.authenticationFailed,
                                 "AZURE_STORAGE_CONNECTION_STRING is malformed: a part has no '=' (expected Key=Value;…)",
                                 disposition: .abortJob)
            }
            let key = trimmed[..<equals].lowercased()
            fields[key] = String(trimmed[trimmed.index(after: equals)...])
        }
        accountName = fields["accountname"]
        accountKey = fields["accountkey"]
        blobEndpoint = fields["blobendpoint"]
        sharedAccessSignature = fields["sharedaccesssignature"].map { $0.hasPrefix("?") ? String($0.dropFirst()) : $0 }
        defaultEndpointsProtocol = fields["defaultendpointsprotocol"]
        endpointSuffix = fields["endpointsuffix"]
        if fields["usedevelopmentstorage"]?.lowercased() == "true" {
            accountName = accountName ?? "devstoreaccount1"
            accountKey = accountKey ?? Self.developmentStorageKey
            blobEndpoint = blobEndpoint ?? "http://127.0.0.1:10000/devstoreaccount1"
        }
    }

    /// The blob service URL the string describes: `BlobEndpoint`, else
    /// `{protocol}://{account}.blob.{suffix}`; nil without an account.
    public var resolvedBlobEndpoint: String? {
        if let blobEndpoint { return blobEndpoint.hasSuffix("/") ? String(blobEndpoint.dropLast()) : blobEndpoint }
        guard let accountName else { return nil }
        return "\(defaultEndpointsProtocol ?? "https")://\(accountName).blob.\(endpointSuffix ?? "core.windows.net")"
    }

    /// The account the string is for: `AccountName`, else the one its `BlobEndpoint` names.
    public var resolvedAccountName: String? {
        if let accountName { return accountName }
        guard let blobEndpoint, let parsed = try? AzureBlobURL(parsing: blobEndpoint + "/probe") else { return nil }
        return parsed.account
    }

    public var description: String {
        "AzureConnectionString(account: \(accountName ?? "-"), endpoint: \(resolvedBlobEndpoint.map { Redaction.url($0) } ?? "-"), secrets: <redacted>)"
    }

    /// The well-known key of the local development account (public, documented by Microsoft).
    public static let developmentStorageKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
}
