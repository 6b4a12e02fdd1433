import FerryEmulatorAuth

/// The permission each operation needs (PROTOCOLS.md A3 minimums for SAS; the Azure RBAC data
/// action for Entra ID principals, ENTRA-RBAC.md §5.4). Pure.
enum AccessRequirements {
    static func requirement(for route: Route) -> AccessRequirement {
        let level: ResourceLevel = route.blob != nil ? .object : (route.container != nil ? .container : .service)
        switch route.operation {
        case .createContainer: return AccessRequirement(anyOf: ["c"], level: .container, dataAction: .containersWrite)
        case .getContainerProperties:
            return AccessRequirement(anyOf: ["r"], level: .container, isContainerList: true, dataAction: .containersRead)
        case .deleteContainer: return AccessRequirement(anyOf: ["d"], level: .container, dataAction: .containersDelete)
        case .setContainerMetadata: return AccessRequirement(anyOf: ["w"], level: .container, dataAction: .containersWrite)
        case .listContainers: return AccessRequirement(anyOf: ["l"], level: .service, dataAction: .containersRead)
        case .listBlobs: return AccessRequirement(anyOf: ["l"], level: .container, isContainerList: true, dataAction: .blobsRead)
        case .putBlob, .putBlock, .putBlockList: return AccessRequirement(anyOf: ["w", "c"], level: .object, dataAction: .blobsWrite)
        case .getBlob, .getBlobProperties:
            return AccessRequirement(anyOf: ["r"], level: .object, isAnonymousReadable: true, dataAction: .blobsRead)
        case .getBlockList: return AccessRequirement(anyOf: ["r"], level: .object, dataAction: .blobsRead)
        case .deleteBlob: return AccessRequirement(anyOf: ["d"], level: .object, dataAction: .blobsDelete)
        case .setBlobMetadata, .setBlobProperties, .setBlobTier:
            return AccessRequirement(anyOf: ["w"], level: .object, dataAction: .blobsWrite)
        // Any data role may ask what kind of account this is.
        case .getAccountInfo: return AccessRequirement(anyOf: Set("racwdl"), level: level, dataAction: .blobsRead)
        }
    }
}
