import Foundation

// SKELETON — the signature is the contract between the front end (EndpointFactory) and the
// Azure endpoint; the implementation replaces the bodies.

/// Where an Azure endpoint may find credentials besides a SAS in its URL.
public struct AzureCredentialSources: Sendable {
    /// Process environment: AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT +
    /// AZURE_STORAGE_KEY, AZURE_STORAGE_TOKEN.
    public var environment: [String: String]
    /// A file holding a bearer token (`--bearer-token-file`), read at start.
    public var bearerTokenFile: String?

    public init(environment: [String: String], bearerTokenFile: String? = nil) {
        self.environment = environment
        self.bearerTokenFile = bearerTokenFile
    }
}

/// An Azure Blob Storage container prefix: `https://ACCT.blob.core.windows.net/C/PREFIX[?SAS]` or,
/// for emulators, `http://127.0.0.1:PORT/ACCT/C/PREFIX[?SAS]`.
/// Thread-safe: the engine calls it from many workers; HTTP connections are pooled and reused.
public final class AzureBlobEndpoint: Endpoint {
    public let redactedDescription: String
    public let capabilities = EndpointCapabilities(storesContentMD5: true, listsStagedBlocks: true,
        minimumBlockSizeBytes: 0, maximumBlockCount: 50_000, maximumBlockSizeBytes: 4000 << 20, isRemote: true)

    /// Parses `url`, resolves credentials (SAS in the URL first, then the sources), and prepares a
    /// pool of up to `connectionCount` keep-alive connections. Throws `FerryError(.usage)` for a
    /// malformed URL and `.authenticationFailed` when a credential source is unusable.
    public init(url: String, credentials: AzureCredentialSources, connectionCount: Int) throws {
        throw FerryError(.internal, "the Azure endpoint is not built yet", disposition: .abortJob)
    }

    public func list(prefix: String, recursive: Bool) throws -> any ObjectListing { throw unbuilt }
    public func stat(_ path: String) throws -> ObjectInfo? { throw unbuilt }
    public func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
                     meter: any TransferMeter) throws -> Int { throw unbuilt }
    public func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter { throw unbuilt }
    public func delete(_ path: String) throws { throw unbuilt }

    private var unbuilt: FerryError { FerryError(.internal, "the Azure endpoint is not built yet", disposition: .abortJob) }
}
