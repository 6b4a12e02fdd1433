import FerryHTTP
import Foundation

/// An Azure Blob Storage container prefix: `https://ACCT.blob.core.windows.net/C/PREFIX[?SAS]` or,
/// for emulators, `http://127.0.0.1:PORT/ACCT/C/PREFIX[?SAS]`.
/// Thread-safe: the engine calls it from many workers; HTTP connections are pooled and reused.
public final class AzureBlobEndpoint: StreamingEndpoint {
    public let redactedDescription: String
    public let capabilities: EndpointCapabilities = {
        var capabilities = EndpointCapabilities(storesContentMD5: true, listsStagedBlocks: true, minimumBlockSizeBytes: 0,
                                                maximumBlockCount: 50_000, maximumBlockSizeBytes: 4000 << 20, isRemote: true,
                                                listsInByteOrder: true)
        capabilities.acceptsBlockBlobTier = true
        return capabilities
    }()

    let client: AzureBlobClient
    /// Blobs per List Blobs page (the service's maximum is 5000; tests use small pages).
    let listPageSize: Int

    /// Parses `url`, resolves credentials (SAS in the URL first, then the sources), and prepares a
    /// pool of up to `connectionCount` keep-alive connections. Throws `FerryError(.usage)` for a
    /// malformed URL and `.authenticationFailed` when a credential source is unusable.
    public convenience init(url: String, credentials: AzureCredentialSources, connectionCount: Int) throws {
        try self.init(url: url, credentials: credentials, connectionCount: connectionCount, listPageSize: 5000)
    }

    convenience init(url: String, credentials: AzureCredentialSources, connectionCount: Int, listPageSize: Int) throws {
        let location = try AzureBlobURL(parsing: url)
        let credential = try AzureCredential.resolve(for: location, sources: credentials)
        self.init(location: location, credential: credential, caBundlePath: credentials.caBundlePath,
                  connectionCount: connectionCount, listPageSize: listPageSize)
    }

    /// With a credential already chosen (tests give one whose tokens they script).
    init(location: AzureBlobURL, credential: AzureCredential, caBundlePath: String?, connectionCount: Int, listPageSize: Int) {
        let http = HTTPClient(configuration: HTTPClientConfiguration(connectionCount: connectionCount, caBundlePath: caBundlePath))
        client = AzureBlobClient(location: location, credential: credential, http: http)
        redactedDescription = location.redactedDescription
        self.listPageSize = max(1, min(5000, listPageSize))
    }

    /// The kind of credential in use ("SAS token", "shared key", …), for status lines; no secret.
    public var credentialKind: String { client.credential.kindName }

    public func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        PagedListing(AzureBlobListingPages(client: client, prefix: prefix, recursive: recursive, pageSize: listPageSize))
    }

    public func stat(_ path: String) throws -> ObjectInfo? {
        let name = client.location.blobName(for: path)
        guard !name.isEmpty else { return nil }
        let operation = "reading the properties of"
        let response = try client.send("HEAD", blobName: name, operation: operation)
        if response.status == 404 { return nil }
        try client.require(response, [200], operation: operation, blobName: name)
        return AzureBlobProperties.objectInfo(path: path, headers: response.headers)
    }

    public func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
                     meter: any TransferMeter) throws -> Int {
        try RangedGet.read(range, into: buffer) { try get(path, range: range, destination: $0, meter: meter) }
    }

    public func stream(_ path: String, range: Range<Int64>, meter: any TransferMeter,
                       into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try RangedGet.stream(range, into: sink) { try get(path, range: range, destination: $0, meter: meter) }
    }

    /// A ranged Get Blob whose body goes to `destination`; the bytes delivered.
    private func get(_ path: String, range: Range<Int64>, destination: HTTPResponseBodyDestination,
                     meter: any TransferMeter) throws -> Int {
        let name = client.location.blobName(for: path)
        let operation = "downloading"
        let response = try client.send("GET", blobName: name,
                                       headers: [HTTPHeader("x-ms-range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")],
                                       destination: destination, meter: meter, operation: operation)
        // A start at or past the end: the object is shorter than the range, so nothing is read.
        if response.status != 416 { try client.require(response, [200, 206], operation: operation, blobName: name) }
        return try RangedReadResponse.bytesRead(response, range: range, operation: operation, target: client.describe(blobName: name))
    }

    public func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        let name = client.location.blobName(for: path)
        guard !name.isEmpty else {
            throw FerryError(.usage, "\(redactedDescription) names a container, not a blob: add a blob name to write a single file",
                             disposition: .abortJob)
        }
        return AzureBlockBlobWriter(client: client, blobName: name)
    }

    public func delete(_ path: String) throws {
        let name = client.location.blobName(for: path)
        guard !name.isEmpty else { return }
        let operation = "deleting"
        let response = try client.send("DELETE", blobName: name, operation: operation)
        if response.status == 404 { return }
        try client.require(response, [202], operation: operation, blobName: name)
    }
}
