import FerryHTTP
import Foundation

/// An S3-compatible bucket prefix, `s3://BUCKET/PREFIX` (AWS, SeaweedFS, MinIO-likes), or one
/// object behind a presigned `https://…?X-Amz-Signature=…` URL (read-only).
/// Thread-safe: the engine calls it from many workers; HTTP connections are pooled and reused.
public final class S3Endpoint: StreamingEndpoint {
    public let redactedDescription: String
    public let capabilities = EndpointCapabilities(storesContentMD5: false, listsStagedBlocks: true,
        minimumBlockSizeBytes: 5 << 20, maximumBlockCount: 10_000, maximumBlockSizeBytes: 5 << 30, isRemote: true)

    enum Target: Sendable {
        case bucket(S3Client)
        case presigned(S3PresignedObject)
    }

    let target: Target
    /// Keys per ListObjectsV2 page (the service's maximum is 1000; tests use small pages).
    let listPageSize: Int

    /// Parses `url`, resolves the service URL, region, addressing and credentials, and prepares a
    /// pool of up to `connectionCount` keep-alive connections. Throws `FerryError(.usage)` for a
    /// malformed URL or unknown profile and `.authenticationFailed` for half a key pair.
    public convenience init(url: String, options: S3EndpointOptions, credentials: S3CredentialSources,
                            connectionCount: Int) throws {
        try self.init(url: url, options: options, credentials: credentials, connectionCount: connectionCount,
                      listPageSize: 1000)
    }

    init(url: String, options: S3EndpointOptions, credentials: S3CredentialSources, connectionCount: Int,
         listPageSize: Int) throws {
        let http = HTTPClient(configuration: HTTPClientConfiguration(connectionCount: connectionCount))
        self.listPageSize = max(1, min(1000, listPageSize))
        switch try S3URL(parsing: url) {
        case .presigned(let presignedURL):
            let object = S3PresignedObject(url: presignedURL, http: http)
            target = .presigned(object)
            redactedDescription = object.redactedDescription
        case .bucket(let bucket, let prefix):
            let profile = try S3Profile.load(from: credentials)
            let location = try S3Location.resolve(bucket: bucket, prefix: prefix, options: options,
                                                  environment: credentials.environment, profile: profile)
            let credential = try S3Credential.resolve(environment: credentials.environment, profile: profile)
            target = .bucket(S3Client(location: location, credential: credential, http: http))
            redactedDescription = location.redactedDescription
        }
    }

    /// The kind of credential in use ("access key", …), for status lines; no secret.
    public var credentialKind: String {
        switch target {
        case .bucket(let client): return client.credential.kindName
        case .presigned: return "presigned URL"
        }
    }

    public func list(prefix: String, recursive: Bool) throws -> any ObjectListing {
        switch target {
        case .bucket(let client):
            return PagedListing(S3ObjectListingPages(client: client, prefix: prefix, recursive: recursive, pageSize: listPageSize))
        case .presigned:
            // The root is a single object: nothing lies below it.
            return EmptyObjectListing()
        }
    }

    public func stat(_ path: String) throws -> ObjectInfo? {
        let client: S3Client
        switch target {
        case .presigned(let object): return path.isEmpty ? try object.stat() : nil
        case .bucket(let bucketClient): client = bucketClient
        }
        let key = client.location.objectKey(for: path)
        guard !key.isEmpty else { return nil }
        let operation = "reading the properties of"
        let response = try client.send("HEAD", key: key, headers: [HTTPHeader("x-amz-checksum-mode", "ENABLED")],
                                       operation: operation)
        if response.status == 404 { return nil }
        try client.require(response, [200], operation: operation, key: key)
        return S3ObjectHeaders.objectInfo(path: path, headers: response.headers)
    }

    public func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
                     meter: any TransferMeter) throws -> Int {
        try RangedGet.read(range, into: buffer) { try get(path, range: range, destination: $0, meter: meter) }
    }

    public func stream(_ path: String, range: Range<Int64>, meter: any TransferMeter,
                       into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try RangedGet.stream(range, into: sink) { try get(path, range: range, destination: $0, meter: meter) }
    }

    /// A listing says nothing of checksums, so a file that fits one request learns the CRC-64 it
    /// is checked against from its GET (`storedCRC64`).
    public func readWhole(_ path: String, sizeBytes: Int64, into buffer: UnsafeMutableRawBufferPointer,
                          meter: any TransferMeter) throws -> (bytes: Int, storedCRC64: UInt64?) {
        try getWhole(path, sizeBytes: sizeBytes, meter: meter) { try RangedGet.read(0..<sizeBytes, into: buffer, $0) }
    }

    public func streamWhole(_ path: String, sizeBytes: Int64, meter: any TransferMeter,
                            into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> (bytes: Int, storedCRC64: UInt64?) {
        try getWhole(path, sizeBytes: sizeBytes, meter: meter) { try RangedGet.stream(0..<sizeBytes, into: sink, $0) }
    }

    /// One GET of the whole object, its body delivered by `deliver` (into a buffer or a sink),
    /// and the CRC-64 the answer's headers name.
    private func getWhole(_ path: String, sizeBytes: Int64, meter: any TransferMeter,
                          deliver: (RangedGet.Get) throws -> Int) throws -> (bytes: Int, storedCRC64: UInt64?) {
        var headers: [String: String] = [:]
        let bytes = try deliver { try get(path, range: 0..<sizeBytes, destination: $0, meter: meter) { headers = $0.headers } }
        return (bytes, Self.storedCRC64(headers, sizeBytes: sizeBytes))
    }

    /// The whole-object CRC-64 in a GET's headers — Ferry's `ferrycrc64` metadata or S3's
    /// CRC64NVME — taken only when the answer is about an object of the listed size.
    static func storedCRC64(_ headers: [String: String], sizeBytes: Int64) -> UInt64? {
        let total = headers["content-range"].flatMap { $0.split(separator: "/").last }.flatMap { Int64($0) }
            ?? headers["content-length"].flatMap { Int64($0) }
        guard total == sizeBytes else { return nil }
        return S3ObjectHeaders.objectInfo(path: "", headers: headers).crc64
    }

    /// A ranged GetObject whose body goes to `destination`; the bytes delivered. `answered`, if
    /// given, asks for the stored checksums too and sees the response (not for a presigned URL).
    private func get(_ path: String, range: Range<Int64>, destination: HTTPResponseBodyDestination,
                     meter: any TransferMeter, answered: ((HTTPResponse) -> Void)? = nil) throws -> Int {
        let client: S3Client
        switch self.target {
        case .presigned(let object): return try object.read(range: range, destination: destination, meter: meter)
        case .bucket(let bucketClient): client = bucketClient
        }
        let key = client.location.objectKey(for: path)
        let operation = "downloading"
        let response = try client.send("GET", key: key,
                                       headers: [HTTPHeader("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")]
                                           + (answered == nil ? [] : [HTTPHeader("x-amz-checksum-mode", "ENABLED")]),
                                       destination: destination, meter: meter, operation: operation)
        // A start at or past the end: the object is shorter than the range, so nothing is read.
        if response.status != 416 { try client.require(response, [200, 206], operation: operation, key: key) }
        answered?(response)
        return try RangedReadResponse.bytesRead(response, range: range, operation: operation, target: client.describe(key: key))
    }

    public func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter {
        guard case .bucket(let client) = target else {
            throw FerryError(.usage, "\(redactedDescription) is a presigned URL, which can only be read", disposition: .abortJob)
        }
        let key = client.location.objectKey(for: path)
        guard !key.isEmpty else {
            throw FerryError(.usage, "\(redactedDescription) names a bucket, not an object: add a key to write a single file",
                             disposition: .abortJob)
        }
        return try S3ObjectWriter.open(client: client, key: key, plan: plan)
    }

    /// AbortMultipartUpload of the recorded upload (never a new one).
    public func abandonWrite(for path: String, resumeToken: String) throws {
        guard case .bucket(let client) = target, !resumeToken.isEmpty else { return }
        let key = client.location.objectKey(for: path)
        guard !key.isEmpty else { return }
        try S3ObjectWriter(client: client, key: key, resumeToken: resumeToken).abort()
    }

    public func delete(_ path: String) throws {
        guard case .bucket(let client) = target else {
            throw FerryError(.usage, "\(redactedDescription) is a presigned URL, which can only be read", disposition: .abortJob)
        }
        let key = client.location.objectKey(for: path)
        guard !key.isEmpty else { return }
        let operation = "deleting"
        let response = try client.send("DELETE", key: key, operation: operation)
        if response.status == 404 { return }
        try client.require(response, [204, 200], operation: operation, key: key)
    }
}

/// A listing with nothing in it. Value type.
struct EmptyObjectListing: ObjectListing {
    mutating func next() throws -> ObjectInfo? { nil }
}
