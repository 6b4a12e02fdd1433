import Foundation

extension AzureCredential {
    /// Picks the credential for `url`, in order: a SAS in the URL; `AZURE_STORAGE_CONNECTION_STRING`
    /// (its key or SAS); `AZURE_STORAGE_ACCOUNT` + `AZURE_STORAGE_KEY`; a bearer token from the
    /// token file, else `AZURE_STORAGE_TOKEN`; else anonymous. Account-bound sources (connection
    /// string, account + key) apply only when they name the URL's account, so one job may read
    /// one account and write another. An unusable source that does apply (bad base64 key, empty
    /// token file) is an `.authenticationFailed` error rather than a silent fallback.
    public static func resolve(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureCredential {
        if let sas = url.sasQuery, !sas.isEmpty { return .sharedAccessSignature(sas) }
        let environment = sources.environment

        if let text = environment["AZURE_STORAGE_CONNECTION_STRING"], !text.isEmpty {
            let connection = try AzureConnectionString(parsing: text)
            if connection.resolvedAccountName == url.account {
                if let key = connection.accountKey {
                    return .sharedKey(account: url.account, key: try decodeKey(key, source: "AZURE_STORAGE_CONNECTION_STRING"))
                }
                if let sas = connection.sharedAccessSignature, !sas.isEmpty { return .sharedAccessSignature(sas) }
            }
        }

        if let account = environment["AZURE_STORAGE_ACCOUNT"], account == url.account,
           let key = environment["AZURE_STORAGE_KEY"], !key.isEmpty {
            return .sharedKey(account: account, key: try decodeKey(key, source: "AZURE_STORAGE_KEY"))
        }

        if let path = sources.bearerTokenFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw FerryError(.authenticationFailed, "cannot read the bearer token file '\(path)': check the path and its permissions",
                                 disposition: .abortJob)
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw FerryError(.authenticationFailed, "the bearer token file '\(path)' is empty: write a fresh token into it",
                                 disposition: .abortJob)
            }
            return .bearerToken(token)
        }
        if let token = environment["AZURE_STORAGE_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return .bearerToken(token)
        }
        return .anonymous
    }

    private static func decodeKey(_ base64: String, source: String) throws -> Data {
        guard let key = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)), !key.isEmpty else {
            throw FerryError(.authenticationFailed, "the account key in \(source) is not valid base64: copy it again from the portal",
                             disposition: .abortJob)
        }
        return key
    }
}
