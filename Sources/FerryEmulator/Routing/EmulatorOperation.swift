/// The Blob service operations the emulator knows, named as in the contract (`ops=`, stats, logs).
/// Value type; safe from any thread.
public enum EmulatorOperation: String, Sendable, CaseIterable, Hashable {
    case createContainer = "CreateContainer"
    case getContainerProperties = "GetContainerProperties"
    case deleteContainer = "DeleteContainer"
    case listContainers = "ListContainers"
    case setContainerMetadata = "SetContainerMetadata"
    case putBlob = "PutBlob"
    case putBlock = "PutBlock"
    case putBlockList = "PutBlockList"
    case getBlockList = "GetBlockList"
    case getBlob = "GetBlob"
    case getBlobProperties = "GetBlobProperties"
    case deleteBlob = "DeleteBlob"
    case listBlobs = "ListBlobs"
    case setBlobMetadata = "SetBlobMetadata"
    case setBlobProperties = "SetBlobProperties"
    case setBlobTier = "SetBlobTier"
    case getAccountInfo = "GetAccountInfo"

    /// Operations whose request carries content bytes (streamed to disk).
    var hasContentBody: Bool { self == .putBlob || self == .putBlock }
}
