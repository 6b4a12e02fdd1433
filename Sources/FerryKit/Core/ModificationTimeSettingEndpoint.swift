import Foundation

/// An endpoint that can give an existing object a modification time without rewriting it (a
/// local file system). A sync that finds a downloaded file's bytes unchanged but its time
/// different sets the time, so the next sync decides from the listing alone.
public protocol ModificationTimeSettingEndpoint: Endpoint {
    func setModificationTime(_ path: String, to date: Date) throws
}
