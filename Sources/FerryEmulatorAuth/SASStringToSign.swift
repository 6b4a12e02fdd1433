/// The SAS string-to-sign layouts the service uses, by token kind and signed version
/// (PROTOCOLS.md A3). Stateless; safe anywhere.
enum SASStringToSign {
    /// Account SAS: every field followed by `\n`, so the string ends with `\n`.
    static func account(_ token: SASToken, accountName: String) -> String {
        var fields = [accountName, token.permissions, token.services, token.resourceTypes, token.start,
                      token.expiry, token.ipRange, token.protocols, token.version]
        if token.version >= SASToken.encryptionScopeVersion { fields.append(token.encryptionScope) }
        return fields.map { $0 + "\n" }.joined()
    }

    /// Service SAS: fields joined by `\n`, no trailing `\n`. `canonicalResource` is
    /// `/blob/{account}/{container}[/{blob}]` with the blob name decoded. The policy id (`si`) slot
    /// is always empty: tokens with `si` are refused before signing.
    static func service(_ token: SASToken, canonicalResource: String) -> String {
        var fields = [token.permissions, token.start, token.expiry, canonicalResource, "", token.ipRange,
                      token.protocols, token.version]
        if token.version >= SASToken.snapshotFieldsVersion { fields += [token.resource, token.snapshot] }
        if token.version >= SASToken.encryptionScopeVersion { fields.append(token.encryptionScope) }
        fields += token.responseOverrides
        return fields.joined(separator: "\n")
    }
}
