/// What a request does, in Azure RBAC's terms (`Microsoft.Storage/storageAccounts/blobServices/…`,
/// ENTRA-RBAC.md §5.4). Each emulator operation needs exactly one.
public enum BlobDataAction: String, Sendable, CaseIterable {
    case containersRead = "containers/read"
    case containersWrite = "containers/write"
    case containersDelete = "containers/delete"
    case blobsRead = "containers/blobs/read"
    case blobsWrite = "containers/blobs/write"
    case blobsDelete = "containers/blobs/delete"
}

/// The built-in data-plane roles. Owner adds tags, ACLs and ownership, none of which the emulator
/// serves, so for the emulator's operations it allows what Contributor allows.
public enum BlobDataRole: String, Sendable, CaseIterable {
    case reader = "Storage Blob Data Reader"
    case contributor = "Storage Blob Data Contributor"
    case owner = "Storage Blob Data Owner"

    public var allowedActions: Set<BlobDataAction> {
        switch self {
        case .reader: [.containersRead, .blobsRead]
        case .contributor, .owner: Set(BlobDataAction.allCases)
        }
    }
}

/// Where an assignment applies: the whole account, or one container (and the blobs in it).
public enum RoleScope: Sendable, Equatable, CustomStringConvertible {
    case account
    case container(String)

    /// `account` or `container/NAME`, or an Azure resource ID ending in
    /// `/storageAccounts/ACCOUNT` or `/blobServices/default/containers/NAME`.
    public static func parse(_ text: String) -> RoleScope? {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        if trimmed == "account" { return .account }
        if trimmed.hasPrefix("container/") {
            let name = String(trimmed.dropFirst("container/".count))
            return name.isEmpty || name.contains("/") ? nil : .container(name)
        }
        let segments = trimmed.split(separator: "/").map(String.init)
        if let index = segments.lastIndex(where: { $0.caseInsensitiveCompare("containers") == .orderedSame }),
           index == segments.count - 2 {
            return .container(segments[index + 1])
        }
        if segments.count >= 2, segments[segments.count - 2].caseInsensitiveCompare("storageAccounts") == .orderedSame {
            return .account
        }
        return nil
    }

    public var description: String {
        switch self {
        case .account: "account"
        case .container(let name): "container/\(name)"
        }
    }

    func covers(container: String?) -> Bool {
        switch self {
        case .account: true
        case .container(let name): container.map { Array($0.utf8) == Array(name.utf8) } ?? false
        }
    }
}

/// One role on one scope.
public struct RoleAssignment: Sendable, Equatable {
    public var role: BlobDataRole
    public var scope: RoleScope
}
