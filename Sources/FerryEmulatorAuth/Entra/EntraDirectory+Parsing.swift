import Foundation

/// The `--principals` file (JSON):
///
///     {"tenantId": "11111111-2222-3333-4444-555555555555",
///      "tokenLifetimeSeconds": 3600, "clockSkewSeconds": 300, "identityHeader": "local-mi-header",
///      "principals": [
///        {"displayName": "trainer", "clientId": "…", "objectId": "…",
///         "clientSecret": "…", "certificate": "trainer.pem",
///         "federatedCredentials": [{"issuer": "https://oidc.example", "subject": "system:serviceaccount:ml:trainer"}],
///         "managedIdentity": false, "tokenLifetimeSeconds": 600,
///         "roles": [{"role": "Storage Blob Data Reader", "scope": "account"},
///                   {"role": "Storage Blob Data Contributor", "scope": "container/checkpoints"}]}]}
///
/// Only `tenantId`, `clientId` and `objectId` are required. `certificate` is a PEM path, relative
/// to the file's folder. A scope is `account`, `container/NAME` or an Azure resource ID.
extension EntraDirectory {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func load(path: String) throws(ParseError) -> EntraDirectory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError(description: "cannot read \(path)")
        }
        do {
            return try parse(data, relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch {
            throw ParseError(description: "\(path): \(error.description)")
        }
    }

    public static func parse(_ data: Data, relativeTo folder: String) throws(ParseError) -> EntraDirectory {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ParseError(description: "the principals file must be a JSON object with tenantId and principals")
        }
        guard let tenantID = object["tenantId"] as? String, !tenantID.isEmpty,
              tenantID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw ParseError(description: "tenantId must be a non-empty string of letters, digits, '-' and '.'")
        }
        var principals: [EntraPrincipal] = []
        for (index, entry) in ((object["principals"] as? [Any]) ?? []).enumerated() {
            guard let fields = entry as? [String: Any] else { throw ParseError(description: "principals[\(index)] must be an object") }
            principals.append(try parsePrincipal(fields, index: index, folder: folder))
        }
        var directory = EntraDirectory(tenantID: tenantID, principals: principals)
        directory.tokenLifetimeSeconds = try seconds(object["tokenLifetimeSeconds"], "tokenLifetimeSeconds") ?? 3600
        directory.clockSkewSeconds = try seconds(object["clockSkewSeconds"], "clockSkewSeconds", allowZero: true) ?? 300
        directory.identityHeader = object["identityHeader"] as? String
        for (index, principal) in principals.enumerated() {
            if principals[..<index].contains(where: { $0.clientID.caseInsensitiveCompare(principal.clientID) == .orderedSame }) {
                throw ParseError(description: "clientId \(principal.clientID) appears twice")
            }
        }
        return directory
    }

    private static func parsePrincipal(_ fields: [String: Any], index: Int, folder: String) throws(ParseError) -> EntraPrincipal {
        let name = "principals[\(index)]"
        guard let clientID = fields["clientId"] as? String, !clientID.isEmpty,
              let objectID = fields["objectId"] as? String, !objectID.isEmpty else {
            throw ParseError(description: "\(name) needs clientId and objectId")
        }
        var principal = EntraPrincipal(displayName: fields["displayName"] as? String ?? clientID, clientID: clientID,
                                       objectID: objectID)
        principal.clientSecret = fields["clientSecret"] as? String
        principal.isManagedIdentity = fields["managedIdentity"] as? Bool ?? false
        principal.tokenLifetimeSeconds = try seconds(fields["tokenLifetimeSeconds"], "\(name).tokenLifetimeSeconds")
        if let path = fields["certificate"] as? String {
            let full = path.hasPrefix("/") ? path : URL(fileURLWithPath: folder).appendingPathComponent(path).path
            guard let text = FileManager.default.contents(atPath: full).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw ParseError(description: "\(name).certificate: cannot read \(full)")
            }
            do {
                principal.certificate = try RSAPublicKey(certificatePEM: text)
            } catch {
                throw ParseError(description: "\(name).certificate \(full): \(error.description)")
            }
            principal.certificatePath = full
        }
        for credential in (fields["federatedCredentials"] as? [Any]) ?? [] {
            guard let credential = credential as? [String: Any], let issuer = credential["issuer"] as? String,
                  let subject = credential["subject"] as? String else {
                throw ParseError(description: "\(name).federatedCredentials entries need issuer and subject")
            }
            var made = FederatedCredential(issuer: issuer, subject: subject)
            if let audience = credential["audience"] as? String { made.audience = audience }
            principal.federatedCredentials.append(made)
        }
        for assignment in (fields["roles"] as? [Any]) ?? [] {
            guard let assignment = assignment as? [String: Any], let roleName = assignment["role"] as? String,
                  let role = BlobDataRole.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(roleName) == .orderedSame }) else {
                throw ParseError(description: "\(name).roles: role must be one of "
                                 + BlobDataRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let scopeText = assignment["scope"] as? String ?? "account"
            guard let scope = RoleScope.parse(scopeText) else {
                throw ParseError(description: "\(name).roles: scope '\(scopeText)' is not 'account', 'container/NAME' or a resource ID")
            }
            principal.roleAssignments.append(RoleAssignment(role: role, scope: scope))
        }
        return principal
    }

    private static func seconds(_ value: Any?, _ name: String, allowZero: Bool = false) throws(ParseError) -> Int? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, number.intValue >= (allowZero ? 0 : 1) else {
            throw ParseError(description: "\(name) must be a whole number of seconds\(allowZero ? " ≥ 0" : " ≥ 1")")
        }
        return number.intValue
    }
}
