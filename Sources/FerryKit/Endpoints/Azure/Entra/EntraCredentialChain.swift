import Foundation

/// Chooses how to sign in to Microsoft Entra ID from the environment, first match wins:
/// 1. service principal with a secret: AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET;
/// 2. service principal with a certificate: … + AZURE_CLIENT_CERTIFICATE_PATH;
/// 3. workload identity: … + AZURE_FEDERATED_TOKEN_FILE;
/// 4. managed identity: IDENTITY_ENDPOINT + IDENTITY_HEADER, else AZURE_POD_IDENTITY_AUTHORITY_HOST;
/// and only when Entra ID is asked for (`--auth entra`), because they cannot be seen from the
/// environment: 5. the instance metadata service (a VM's managed identity), 6. the Azure CLI's login.
/// The authority is AZURE_AUTHORITY_HOST (default the public cloud). Pure apart from reading the
/// certificate file; safe from any thread.
public enum EntraCredentialChain {
    /// The provider the environment configures (steps 1–4), or, with `includeAmbient`, steps 5–6
    /// as a fallback; nil when nothing applies. Throws a usage error for a half-configured
    /// service principal and an authentication error for an unusable certificate file.
    public static func provider(environment: [String: String], caBundlePath: String?, includeAmbient: Bool,
                                clock: @escaping @Sendable () -> Date = Date.init) throws -> (any EntraTokenProvider)? {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        let issuer = TokenIssuerClient(caBundlePath: caBundlePath, clock: clock)
        let secret = value("AZURE_CLIENT_SECRET")
        let certificatePath = value("AZURE_CLIENT_CERTIFICATE_PATH")
        let federatedTokenFile = value("AZURE_FEDERATED_TOKEN_FILE")
        if secret != nil || certificatePath != nil || federatedTokenFile != nil {
            let given = secret != nil ? "AZURE_CLIENT_SECRET" : certificatePath != nil ? "AZURE_CLIENT_CERTIFICATE_PATH" : "AZURE_FEDERATED_TOKEN_FILE"
            guard let tenantID = value("AZURE_TENANT_ID"), let clientID = value("AZURE_CLIENT_ID") else {
                throw FerryError(.usage, "\(given) is set, so AZURE_TENANT_ID and AZURE_CLIENT_ID must be set too",
                                 disposition: .abortJob)
            }
            try EntraAuthority.validateTenant(tenantID, variable: "AZURE_TENANT_ID")
            let authority = try EntraAuthority(host: value("AZURE_AUTHORITY_HOST"))
            if let secret {
                return ClientSecretTokenProvider(tenantID: tenantID, clientID: clientID, secret: secret,
                                                 authority: authority, issuer: issuer)
            }
            if let certificatePath {
                guard let pem = FileManager.default.contents(atPath: certificatePath) else {
                    throw FerryError(.authenticationFailed, "cannot read the certificate file '\(certificatePath)' "
                                     + "(AZURE_CLIENT_CERTIFICATE_PATH): check the path and its permissions", disposition: .abortJob)
                }
                let certificate = try ClientCertificate(pem: pem, path: certificatePath)
                return ClientCertificateTokenProvider(tenantID: tenantID, clientID: clientID, certificate: certificate,
                                                      certificatePath: certificatePath, authority: authority,
                                                      issuer: issuer, clock: clock)
            }
            if let federatedTokenFile {
                return WorkloadIdentityTokenProvider(tenantID: tenantID, clientID: clientID,
                                                     federatedTokenFile: federatedTokenFile, authority: authority, issuer: issuer)
            }
        }
        let identityClientID = value("AZURE_CLIENT_ID")
        if let endpoint = value("IDENTITY_ENDPOINT"), let header = value("IDENTITY_HEADER") {
            return ManagedIdentityTokenProvider(source: .appService(endpoint: endpoint, header: header),
                                                clientID: identityClientID, issuer: issuer)
        }
        if let host = value("AZURE_POD_IDENTITY_AUTHORITY_HOST") {
            return ManagedIdentityTokenProvider(source: .instanceMetadata(host: host), clientID: identityClientID, issuer: issuer)
        }
        guard includeAmbient else { return nil }
        // The metadata service is not there off Azure: give up on connecting after 2 s.
        let metadata = ManagedIdentityTokenProvider(
            source: .instanceMetadata(host: ManagedIdentityTokenProvider.instanceMetadataHost), clientID: identityClientID,
            issuer: TokenIssuerClient(caBundlePath: caBundlePath, connectTimeoutSeconds: 2, clock: clock))
        var candidates: [any EntraTokenProvider] = [metadata]
        if let az = AzureCLITokenProvider.find(onPath: environment["PATH"]) {
            candidates.append(AzureCLITokenProvider(executablePath: az, tenantID: value("AZURE_TENANT_ID"), clock: clock))
        }
        return FirstAvailableTokenProvider(candidates: candidates)
    }
}
