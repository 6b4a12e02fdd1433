import FerryChecksums
import FerryHTTP
import Foundation
import Testing
@testable import FerryKit

/// Counts metered bytes from any thread.
final class CountingMeter: TransferMeter, @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func account(_ byteCount: Int) { lock.withLock { total += byteCount } }
    var bytes: Int { lock.withLock { total } }
}

/// Test-side helpers for the live Azure tests: endpoints with the dev account's Shared Key,
/// container creation, account SAS tokens. The SAS signer here is the test's own (the client
/// never issues SAS tokens); it is checked against the published vector below.
enum AzureTestSupport {
    static let devKey = AzureConnectionString.developmentStorageKey
    static let sharedKeyEnvironment = ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": devKey]

    static func endpoint(_ url: String, environment: [String: String] = sharedKeyEnvironment,
                         connectionCount: Int = 4, listPageSize: Int = 5000) throws -> AzureBlobEndpoint {
        try AzureBlobEndpoint(url: url, credentials: AzureCredentialSources(environment: environment),
                              connectionCount: connectionCount, listPageSize: listPageSize)
    }

    /// Creates `container` through `endpoint`'s own signed client; 201 expected.
    static func createContainer(_ container: String, on emulator: RunningEmulator,
                                environment: [String: String] = sharedKeyEnvironment, sas: String? = nil) throws {
        let endpoint = try self.endpoint(emulator.accountURL + "/" + container + (sas.map { "?" + $0 } ?? ""), environment: environment)
        let response = try endpoint.client.send("PUT", blobName: nil, query: [("restype", "container")], operation: "creating")
        guard response.status == 201 else {
            throw EmulatorLaunchError(description: "creating container \(container) answered \(response.status) "
                + "\(response.header("x-ms-error-code") ?? ""): \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    static func accountSASStringToSign(account: String, permissions: String, services: String, resourceTypes: String,
                                       start: String, expiry: String, protocols: String, version: String) -> String {
        [account, permissions, services, resourceTypes, start, expiry, "", protocols, version, "", ""].joined(separator: "\n")
    }

    /// An account SAS query (`sv=…&sig=…`) signed with `key`.
    static func accountSAS(account: String = "devstoreaccount1", key: String = devKey, permissions: String = "rwdlacup",
                           expiry: String = "2099-01-01T00:00:00Z") -> String {
        let start = "2024-01-01T00:00:00Z"
        let version = "2021-08-06"
        let text = accountSASStringToSign(account: account, permissions: permissions, services: "b", resourceTypes: "sco",
                                          start: start, expiry: expiry, protocols: "https,http", version: version)
        let signature = Digests.hmacSHA256(key: Data(base64Encoded: key)!, message: text).base64EncodedString()
        let fields = [("sv", version), ("ss", "b"), ("srt", "sco"), ("sp", permissions), ("se", expiry), ("st", start),
                      ("spr", "https,http"), ("sig", signature)]
        return fields.map { "\($0.0)=\(AzureBlobClient.encodeQuery($0.1))" }.joined(separator: "&")
    }

    static func bytes(_ count: Int, seed: UInt8 = 1) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ Int(seed) &* 17) })
    }

    static func readAll(_ endpoint: AzureBlobEndpoint, _ path: String, size: Int) throws -> Data {
        var buffer = Data(count: size)
        let read = try buffer.withUnsafeMutableBytes { try endpoint.read(path, range: 0..<Int64(size), into: $0, meter: UnmeteredTransfer()) }
        return buffer.prefix(read)
    }

    static func collect(_ listing: any ObjectListing) throws -> [ObjectInfo] {
        var listing = listing
        var all: [ObjectInfo] = []
        while let next = try listing.next() { all.append(next) }
        return all
    }

    static func writeWhole(_ endpoint: AzureBlobEndpoint, _ path: String, _ data: Data,
                           properties: ObjectProperties = ObjectProperties()) throws {
        let writer = try endpoint.makeWriter(for: path, plan: ObjectWritePlan(sizeBytes: Int64(data.count), blockSizeBytes: 1 << 20))
        try data.withUnsafeBytes {
            try writer.writeWhole($0, checksums: BlockChecksums(crc64: CRC64.checksum(data)), properties: properties,
                                  meter: UnmeteredTransfer())
        }
    }
}

@Suite struct AzureTestSupportTests {
    /// The test's SAS signer reproduces the published account SAS vector (PROTOCOLS.md A9).
    @Test func accountSASVector() {
        let text = AzureTestSupport.accountSASStringToSign(account: "devstoreaccount1", permissions: "rwdlacup", services: "b",
            resourceTypes: "sco", start: "2024-01-01T00:00:00Z", expiry: "2030-01-01T00:00:00Z",
            protocols: "https,http", version: "2026-10-06")
        let signature = Digests.hmacSHA256(key: Data(base64Encoded: AzureTestSupport.devKey)!, message: text).base64EncodedString()
        #expect(signature == "048K0D2U0wcZNx4NV+kNT+I9VWeayPSPe3JeLQzI6V4=")
    }
}
