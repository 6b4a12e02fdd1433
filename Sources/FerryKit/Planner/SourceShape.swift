/// What the user named as the source, which decides where its files land (azcopy's rules).
/// Value type; safe from any thread.
public enum SourceShape: Sendable, Hashable, Codable {
    /// One file or blob, with its name (the last path component).
    case file(name: String)
    /// A directory or virtual directory: the directory itself is copied under the destination.
    case directory(name: String)
    /// `SRC/*`: the directory's contents are copied into the destination.
    case directoryContents
}

/// Maps source-relative paths to destination-relative paths. Pure; safe from any thread.
///
/// The rules, as azcopy applies them:
/// - a directory source `./corpus` lands as `DST/corpus/…`;
/// - `./corpus/*` lands as `DST/…` (its contents);
/// - a single file to an existing directory, or to a destination ending in `/`, keeps its name
///   (`DST/name`); otherwise the destination names the file itself.
public struct PathMapping: Sendable, Hashable, Codable {
    /// Prepended to every source-relative path ("" or "name/").
    public var destinationPrefix: String
    /// For a single-file source: the destination path of that file ("" = the destination root).
    public var singleFileDestination: String?

    public init(source: SourceShape, destinationIsContainer: Bool) {
        switch source {
        case .file(let name):
            destinationPrefix = ""
            singleFileDestination = destinationIsContainer ? name : ""
        case .directory(let name):
            destinationPrefix = name.isEmpty ? "" : name + "/"
            singleFileDestination = nil
        case .directoryContents:
            destinationPrefix = ""
            singleFileDestination = nil
        }
    }

    public func destinationPath(forSource relativePath: String) -> String {
        if let single = singleFileDestination, relativePath.isEmpty { return single }
        return destinationPrefix + relativePath
    }
}
