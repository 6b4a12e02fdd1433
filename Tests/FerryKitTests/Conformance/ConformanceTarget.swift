import Foundation
import Testing
@testable import FerryKit

/// The backends the endpoint conformance suite runs against. Each case starts what it needs (a
/// temporary directory; `ferry-emulator` with a fresh container; SeaweedFS with its bucket and a
/// fresh prefix), makes the endpoints through their public initializers, and always tears down.
/// A server that does not start throws, so the test fails: a missing server is never a skip.
///
/// Scenario code sees only `ConformanceEndpoints` (plain `any Endpoint` values); nothing here is
/// consulted by a scenario to decide what to expect. Value type; safe from any thread.
enum ConformanceTarget: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    case azure
    case s3

    var testDescription: String { rawValue }

    /// The name of the root below its parent (`parent` path `data/x` is `root` path `x`).
    static let rootName = "data"

    /// Runs `body` with an endpoint rooted at a fresh, empty place.
    func withEndpoint<T>(_ body: (any Endpoint) throws -> T) throws -> T {
        try withEndpoints { try body($0.root) }
    }

    /// Runs `body` with the root endpoint and its parent. `listPageSize` asks remote endpoints for
    /// pages that small (through their internal initializer: the public one always asks for the
    /// service's maximum, which would need thousands of objects to page); a local directory has
    /// no pages and ignores it.
    func withEndpoints<T>(listPageSize: Int? = nil, _ body: (ConformanceEndpoints) throws -> T) throws -> T {
        let slot = Self.serverSlots[self]
        slot?.wait()
        defer { slot?.signal() }
        switch self {
        case .local:
            return try withTemporaryDirectory { base in
                let parent = base + "/tree"
                try FileManager.default.createDirectory(atPath: parent + "/" + Self.rootName, withIntermediateDirectories: true)
                return try body(ConformanceEndpoints(root: LocalEndpoint(root: parent + "/" + Self.rootName),
                                                     parent: LocalEndpoint(root: parent)))
            }
        case .azure:
            return try withEmulator { emulator in
                let container = "conformance-" + UUID().uuidString.prefix(8).lowercased()
                try AzureTestSupport.createContainer(container, on: emulator)
                let parentURL = emulator.accountURL + "/" + container + "/run"
                let rootURL = parentURL + "/" + Self.rootName
                return try body(ConformanceEndpoints(root: try Self.azureEndpoint(rootURL, listPageSize: listPageSize),
                                                     parent: try Self.azureEndpoint(parentURL, listPageSize: listPageSize)))
            }
        case .s3:
            return try withSeaweed { serviceURL, accessKey, secret in
                let parentURL = "s3://\(SeaweedProcess.bucket)/run-" + UUID().uuidString.prefix(8).lowercased()
                let rootURL = parentURL + "/" + Self.rootName
                let credentials = S3CredentialSources(environment: ["AWS_ACCESS_KEY_ID": accessKey,
                                                                    "AWS_SECRET_ACCESS_KEY": secret])
                let options = S3EndpointOptions(endpointURL: serviceURL)
                return try body(ConformanceEndpoints(
                    root: try Self.s3Endpoint(rootURL, options, credentials, listPageSize: listPageSize),
                    parent: try Self.s3Endpoint(parentURL, options, credentials, listPageSize: listPageSize)))
            }
        }
    }

    private static let connectionCount = 8

    /// At most three servers of each kind at a time: the scenarios run side by side (a SeaweedFS
    /// start and stop takes seconds, so one at a time would take minutes), but a small machine
    /// never holds a dozen SeaweedFS processes at once.
    private static let serversPerKind = 3
    private static let serverSlots: [ConformanceTarget: DispatchSemaphore] = [
        .azure: DispatchSemaphore(value: serversPerKind), .s3: DispatchSemaphore(value: serversPerKind)]

    private static func azureEndpoint(_ url: String, listPageSize: Int?) throws -> any Endpoint {
        let credentials = AzureCredentialSources(environment: AzureTestSupport.sharedKeyEnvironment)
        guard let listPageSize else {
            return try AzureBlobEndpoint(url: url, credentials: credentials, connectionCount: connectionCount)
        }
        return try AzureBlobEndpoint(url: url, credentials: credentials, connectionCount: connectionCount,
                                     listPageSize: listPageSize)
    }

    private static func s3Endpoint(_ url: String, _ options: S3EndpointOptions, _ credentials: S3CredentialSources,
                                   listPageSize: Int?) throws -> any Endpoint {
        guard let listPageSize else {
            return try S3Endpoint(url: url, options: options, credentials: credentials, connectionCount: connectionCount)
        }
        return try S3Endpoint(url: url, options: options, credentials: credentials, connectionCount: connectionCount,
                              listPageSize: listPageSize)
    }
}
