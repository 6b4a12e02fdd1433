import Foundation

/// Opens an endpoint for a location; the front end supplies one that knows about credentials.
public typealias EndpointOpener = (EndpointLocation) throws -> any Endpoint

/// Everything a job needs before it runs: endpoints, planner, manifest. Built for a new copy
/// (`newCopy`) or from a job database (`resume`). Value type; the store it holds is thread-safe.
public struct JobSetup: Sendable {
    public var source: any Endpoint
    public var destination: any Endpoint
    public var planner: TransferPlanner
    public var spec: JobSpec
    public var resuming: Bool

    /// Applies azcopy's source/destination rules (see `PathMapping`) without touching the manifest.
    public static func newCopy(source sourceText: String, destination destinationText: String, options: TransferOptions,
                               open: EndpointOpener) throws -> JobSetup {
        let sourceLocation = try EndpointLocation(sourceText)
        let destinationLocation = try EndpointLocation(destinationText)
        if destinationLocation.isContentsWildcard {
            throw FerryError(.usage, "the destination cannot end in '/*'", disposition: .abortJob)
        }
        let source = try open(sourceLocation)
        let destination = try open(destinationLocation)
        let shape: SourceShape
        if sourceLocation.isContentsWildcard {
            shape = .directoryContents
        } else if try source.stat("") != nil {
            shape = .file(name: sourceLocation.lastComponent)
        } else {
            if let local = source as? LocalEndpoint, !local.rootIsDirectory {
                throw FerryError(.notFound, "the source '\(sourceLocation.redacted)' does not exist", disposition: .abortJob)
            }
            guard options.recursive else {
                throw FerryError(.usage, "'\(sourceLocation.redacted)' is a directory: add --recursive, or end it in '/*' "
                                 + "to copy only the files directly inside", disposition: .abortJob)
            }
            shape = .directory(name: sourceLocation.lastComponent)
        }
        let destinationIsContainer: Bool
        if let local = destination as? LocalEndpoint {
            destinationIsContainer = local.rootIsDirectory || destinationLocation.endsWithSlash
        } else {
            destinationIsContainer = destinationLocation.endsWithSlash || destinationLocation.isContainerRoot
        }
        let mapping = PathMapping(source: shape, destinationIsContainer: destinationIsContainer)
        let spec = JobSpec(source: sourceLocation.redacted, destination: destinationLocation.redacted,
                           sourceRoot: sourceLocation.root, destinationRoot: destinationLocation.root,
                           shape: shape, mapping: mapping, options: options)
        return JobSetup(source: source, destination: destination, planner: planner(spec, source, destination), spec: spec,
                        resuming: false)
    }

    /// A sync: the destination mirrors the source's contents (`SRC/a/b` → `DST/a/b`, as azcopy and
    /// rclone sync map them), always recursively. The source is a directory or a prefix.
    public static func newSync(source sourceText: String, destination destinationText: String, options: TransferOptions,
                               open: EndpointOpener) throws -> JobSetup {
        let sourceLocation = try EndpointLocation(sourceText)
        let destinationLocation = try EndpointLocation(destinationText)
        if destinationLocation.isContentsWildcard {
            throw FerryError(.usage, "the destination cannot end in '/*'", disposition: .abortJob)
        }
        if sourceLocation.isPresignedS3 || destinationLocation.isPresignedS3 {
            throw FerryError(.usage, "a presigned URL names one object; sync takes a directory or prefix on each side",
                             disposition: .abortJob)
        }
        let source = try open(sourceLocation)
        let destination = try open(destinationLocation)
        if let local = source as? LocalEndpoint, !local.rootIsDirectory {
            let exists = try local.stat("") != nil
            throw FerryError(exists ? .usage : .notFound,
                             exists ? "the source '\(sourceLocation.redacted)' is a file: sync takes a directory (use ferry copy for one file)"
                                    : "the source '\(sourceLocation.redacted)' does not exist", disposition: .abortJob)
        }
        if let local = destination as? LocalEndpoint, !local.rootIsDirectory, try local.stat("") != nil {
            throw FerryError(.usage, "the destination '\(destinationLocation.redacted)' is a file: sync needs a directory",
                             disposition: .abortJob)
        }
        var options = options
        options.recursive = true
        options.sync = options.sync ?? SyncOptions()
        let mapping = PathMapping(source: .directoryContents, destinationIsContainer: true)
        let spec = JobSpec(source: sourceLocation.redacted, destination: destinationLocation.redacted,
                           sourceRoot: sourceLocation.root, destinationRoot: destinationLocation.root,
                           shape: .directoryContents, mapping: mapping, options: options)
        return JobSetup(source: source, destination: destination, planner: planner(spec, source, destination), spec: spec,
                        resuming: false)
    }

    /// Reopens a recorded job's endpoints: from fresh URLs if given (carrying a new SAS), else
    /// from the recorded roots (credentials then come from the environment).
    public static func resume(job: JobRecord, sourceOverride: String?, destinationOverride: String?,
                              open: EndpointOpener) throws -> JobSetup {
        let source = try open(try EndpointLocation(sourceOverride ?? job.spec.sourceRoot))
        let destination = try open(try EndpointLocation(destinationOverride ?? job.spec.destinationRoot))
        if sourceOverride == nil { try requireCredentials(source, recorded: job.spec.source, side: "source", job: job) }
        if destinationOverride == nil {
            try requireCredentials(destination, recorded: job.spec.destination, side: "destination", job: job)
        }
        return JobSetup(source: source, destination: destination, planner: planner(job.spec, source, destination), spec: job.spec,
                        resuming: true)
    }

    /// A side started with a SAS in its URL and reopened with no credential at all would fail
    /// with a bare 401 on its first request; say instead that credentials are never stored and
    /// show the flag that passes them again.
    private static func requireCredentials(_ endpoint: any Endpoint, recorded: String, side: String, job: JobRecord) throws {
        guard let azure = endpoint as? AzureBlobEndpoint, azure.credentialKind == AzureCredential.anonymous.kindName,
              let query = recorded.split(separator: "?", maxSplits: 1).dropFirst().first,
              query.split(separator: "&").contains(where: { $0.hasPrefix("sig=") }) else { return }
        let root = side == "source" ? job.spec.sourceRoot : job.spec.destinationRoot
        throw FerryError(.authenticationFailed,
                         "job \(job.id) was started with a SAS in its \(side) URL, and Ferry never stores credentials: "
                             + "pass the URL again with a valid SAS, as in ferry jobs resume \(job.id) --\(side) '\(root)?<SAS>' "
                             + "(or set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY)",
                         disposition: .abortJob)
    }

    private static func planner(_ spec: JobSpec, _ source: any Endpoint, _ destination: any Endpoint) -> TransferPlanner {
        // A remote source streaming into local files: blocks (and whole files) cost requests, not memory.
        let streamsDownloads = source is any StreamingEndpoint && destination is any PositionalWritingEndpoint
        var planner = TransferPlanner(mapping: spec.mapping, filter: spec.options.filter, destination: destination.capabilities,
                                      requestedBlockSizeBytes: spec.options.blockSizeBytes,
                                      automaticStartBytes: streamsDownloads ? BlockSizing.streamedDownloadBlockSizeBytes
                                                                            : BlockSizing.defaultBlockSizeBytes)
        // Remote names become local paths only after `LocalNameRules` (a local source's names are paths already).
        if source.capabilities.isRemote { planner.localNames = destination.capabilities.localNames }
        return planner
    }

    /// Records the new job in `$FERRY_HOME/jobs/<id>.db`.
    public func createStore(home: FerryHome, commandLine: [String], jobID: String = JobRecord.newID()) throws -> SQLiteManifestStore {
        let job = JobRecord(id: jobID, created: Date(), commandLine: Redaction.commandLine(commandLine), spec: spec)
        return try SQLiteManifestStore.create(home: home, job: job)
    }

    public func makeEngine(store: any ManifestStore, options: TransferOptions, events: (any TransferEvents)?,
                           cancellation: CancellationFlag) -> TransferEngine {
        TransferEngine(source: source, destination: destination, store: store, planner: planner, options: options,
                       resuming: resuming, events: events, cancellation: cancellation,
                       jobDatabasePath: (store as? SQLiteManifestStore)?.databasePath)
    }
}
