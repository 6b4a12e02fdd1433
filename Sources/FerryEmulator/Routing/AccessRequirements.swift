import FerryEmulatorAuth

/// The permission each operation needs (PROTOCOLS.md A3 minimums). Pure.
enum AccessRequirements {
    static func requirement(for route: Route) -> AccessRequirement {
        let level: ResourceLevel = route.blob != nil ? .object : (route.container != nil ? .container : .service)
        switch route.operation {
        case .createContainer: return AccessRequirement(anyOf: ["c"], level: .container)
        case .getContainerProperties: return AccessRequirement(anyOf: ["r"], level: .container, isContainerList: true)
        case .deleteContainer: return AccessRequirement(anyOf: ["d"], level: .container)
        case .setContainerMetadata: return AccessRequirement(anyOf: ["w"], level: .container)
        case .listContainers: return AccessRequirement(anyOf: ["l"], level: .service)
        case .listBlobs: return AccessRequirement(anyOf: ["l"], level: .container, isContainerList: true)
        case .putBlob, .putBlock, .putBlockList: return AccessRequirement(anyOf: ["w", "c"], level: .object)
        case .getBlob, .getBlobProperties: return AccessRequirement(anyOf: ["r"], level: .object, isAnonymousReadable: true)
        case .getBlockList: return AccessRequirement(anyOf: ["r"], level: .object)
        case .deleteBlob: return AccessRequirement(anyOf: ["d"], level: .object)
        case .setBlobMetadata, .setBlobProperties, .setBlobTier: return AccessRequirement(anyOf: ["w"], level: .object)
        case .getAccountInfo: return AccessRequirement(anyOf: Set("racwdl"), level: level)
        }
    }
}
