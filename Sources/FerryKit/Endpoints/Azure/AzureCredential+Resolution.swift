import Foundation

extension AzureCredential {
    /// Picks the credential for `url`. Without `--auth` (`sources.authMode` nil), in order:
    /// 1. a SAS in the URL;
    /// 2. `AZURE_STORAGE_CONNECTION_STRING` (its key or SAS);
    /// 3. `AZURE_STORAGE_ACCOUNT` + `AZURE_STORAGE_KEY`;
    /// 4. a bearer token from `--bearer-token-file`, else `AZURE_STORAGE_TOKEN`;
    /// 5. a Microsoft Entra ID sign-in the environment configures (`EntraCredentialChain` steps 1–4);
    /// 6. anonymous.
    /// `--auth sas|key|entra|anonymous` keeps to one kind; `entra` also tries the instance
    /// metadata service and the Azure CLI. Account-bound sources (connection string, account +
    /// key) apply only when they name the URL's account, so one job may read one account and
    /// write another. An unusable source that does apply (bad base64 key, empty token file) is an
    /// `.authenticationFailed` error rather than a silent fallback. Bearer tokens go only over
    /// https or to loopback hosts: anything else is a usage error.
    public static func resolve(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureCredential {
        let credential = try choose(for: url, sources: sources)
        if credential.sendsBearerToken {
            try SecureTransportRule.require(url: url.origin, carrying: "a bearer token", setting: "the Azure URL")
        }
        return credential
    }

    private static func choose(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureCredential {
        switch sources.authMode {
        case nil:
            if let sas = try sharedAccessSignature(for: url, sources: sources) { return sas }
            if let key = try accountKey(for: url, sources: sources) { return key }
            if let entra = try entraID(sources: sources, includeAmbient: false) { return entra }
            return .anonymous
        case .sas?:
            guard let sas = try sharedAccessSignature(for: url, sources: sources) else {
                throw missing("--auth sas", "no SAS: add one to the URL (?sv=…&sig=…) or to AZURE_STORAGE_CONNECTION_STRING")
            }
            return sas
        case .key?:
            guard let key = try accountKey(for: url, sources: sources) else {
                throw missing("--auth key", "no key for account '\(url.account)': set AZURE_STORAGE_ACCOUNT and "
                              + "AZURE_STORAGE_KEY, or AZURE_STORAGE_CONNECTION_STRING")
            }
            return key
        case .entra?:
            guard let entra = try entraID(sources: sources, includeAmbient: true) else {
                throw missing("--auth entra", "no Microsoft Entra ID credential is configured")
            }
            return entra
        case .anonymous?:
            return .anonymous
        }
    }

    /// A SAS in the URL, else the connection string's SAS for this account.
    private static func sharedAccessSignature(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureCredential? {
        if let sas = url.sasQuery, !sas.isEmpty { return .sharedAccessSignature(sas) }
        if let connection = try connectionString(for: url, sources: sources),
           connection.accountKey == nil || sources.authMode == .sas,
           let sas = connection.sharedAccessSignature, !sas.isEmpty {
            return .sharedAccessSignature(sas)
        }
        return nil
    }

    /// The connection string's key, else AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, for this account.
    private static func accountKey(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureCredential? {
        if let connection = try connectionString(for: url, sources: sources), let key = connection.accountKey {
            return .sharedKey(account: url.account, key: try decodeKey(key, source: "AZURE_STORAGE_CONNECTION_STRING"))
        }
        let environment = sources.environment
        if let account = environment["AZURE_STORAGE_ACCOUNT"], account == url.account,
           let key = environment["AZURE_STORAGE_KEY"], !key.isEmpty {
            return .sharedKey(account: account, key: try decodeKey(key, source: "AZURE_STORAGE_KEY"))
        }
        return nil
    }

    private static func connectionString(for url: AzureBlobURL, sources: AzureCredentialSources) throws -> AzureConnectionString? {
        guard let text = sources.environment["AZURE_STORAGE_CONNECTION_STRING"], !text.isEmpty else { return nil }
        let connection = try AzureConnectionString(parsing: text)
        return connection.resolvedAccountName == url.account ? connection : nil
    }

    /// A bearer token given (file, then AZURE_STORAGE_TOKEN), else an Entra ID sign-in.
    private static func entraID(sources: AzureCredentialSources, includeAmbient: Bool) throws -> AzureCredential? {
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
        if let token = sources.environment["AZURE_STORAGE_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return .bearerToken(token)
        }
        guard let provider = try EntraCredentialChain.provider(environment: sources.environment, caBundlePath: sources.caBundlePath,
                                                              includeAmbient: includeAmbient) else { return nil }
        return .entraID(AccessTokenCache(provider: provider))
    }

    private static func missing(_ flag: String, _ reason: String) -> FerryError {
        FerryError(.authenticationFailed, "\(flag): \(reason)", disposition: .abortJob)
    }

    private static func decodeKey(_ base64: String, source: String) throws -> Data {
        guard let key = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)), !key.isEmpty else {
            throw FerryError(.authenticationFailed, "the account key in \(source) is not valid base64: copy it again from the portal",
                             disposition: .abortJob)
        }
        return key
    }
}
