import FerryEmulatorAuth
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A running ferry-emulator: bound, serving, until `stop()`. Start it with `start(_:)`; it
/// reports the real port (useful with port 0). Thread-safe: immutable after start; `stop()` may
/// be called from any task (once).
public final class EmulatorServer: Sendable {
    public enum StartError: Error, CustomStringConvertible {
        case location(String)
        case bind(String)
        case badKey
        case tls(String)
        case principals(String)

        public var description: String {
            switch self {
            case .location(let why): "cannot use the storage location: \(why)"
            case .bind(let why): "cannot listen: \(why)"
            case .badKey: "the account key is not valid base64"
            case .tls(let why): "cannot use the TLS certificate or key: \(why)"
            case .principals(let why): "cannot use the principals file: \(why)"
            }
        }
    }

    public let host: String
    public let port: Int
    /// `https` when started with a certificate (the port then also answers plain http), else `http`.
    public let scheme: String
    public let faults: FaultInjector
    public let accountLimiter: AccountLimiter
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let serverChannel: Channel
    private let acceptLoop: Task<Void, Never>

    private init(host: String, port: Int, scheme: String, faults: FaultInjector, accountLimiter: AccountLimiter, group: MultiThreadedEventLoopGroup, pool: NIOThreadPool,
                 serverChannel: Channel, acceptLoop: Task<Void, Never>) {
        self.host = host
        self.port = port
        self.scheme = scheme
        self.faults = faults
        self.accountLimiter = accountLimiter
        self.group = group
        self.pool = pool
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
    }

    /// Opens the store, binds and starts accepting connections.
    public static func start(_ configuration: EmulatorConfiguration) async throws -> EmulatorServer {
        guard let key = Data(base64Encoded: configuration.accountKey) else { throw StartError.badKey }
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = try configuration.tlsCertificatePath.flatMap { certificate in
                try configuration.tlsKeyPath.map { try TLSFiles.serverContext(certificatePath: certificate, keyPath: $0) }
            }
        } catch {
            throw StartError.tls("\(error)")
        }
        let log = RequestLog(level: configuration.logLevel)
        var entra: EntraIssuer?
        if let path = configuration.principalsPath {
            do {
                entra = try EntraIssuer(directory: try EntraDirectory.load(path: path), accountName: configuration.account)
            } catch let error as EntraDirectory.ParseError {
                throw StartError.principals(error.description)
            } catch {
                throw StartError.principals("\(error)")
            }
        }
        let pool = NIOThreadPool(numberOfThreads: max(2, configuration.ioThreads))
        pool.start()
        let store: BlobStore
        do {
            let location = URL(fileURLWithPath: configuration.location).standardizedFileURL.path
            store = try await pool.runIfActive { try BlobStore(location: location) }
        } catch {
            try? await pool.shutdownGracefully()
            throw StartError.location("\(configuration.location): \(error)")
        }
        let faults = FaultInjector(rules: configuration.faultRules, seed: configuration.faultSeed)
        let accountLimiter = AccountLimiter(limits: configuration.accountLimits)
        let service = BlobService(configuration: configuration, store: store, pool: pool, stats: EmulatorStats(), faults: faults,
                                  accountLimiter: accountLimiter,
                                  authenticator: RequestAuthenticator(accountName: configuration.account, keys: [key],
                                                                      bearerToken: configuration.bearerToken, entra: entra),
                                  log: log)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        // Memory per connection stays under ~1 MiB: ≤ 8 buffered reads of ≤ 64 KiB plus one disk
        // batch (BodyReceiver.batchBytes); AzCopy opens 32+ connections at once.
        let bound: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            bound = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16384,
                                                                                           maximum: 65536))
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let transport = ConnectionTransport()
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        if let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(TLSSniffer(context: tlsContext, transport: transport),
                                                                           position: .first)
                        }
                        let wrapped = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
                        return AcceptedConnection(channel: wrapped, transport: transport)
                    }
                }
        } catch {
            try? await group.shutdownGracefully()
            try? await pool.shutdownGracefully()
            throw StartError.bind("\(configuration.host):\(configuration.port): \(error)")
        }
        let acceptLoop = Task {
            do {
                try await bound.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { tasks in
                        for try await connection in connections {
                            tasks.addTask { await service.serve(connection.channel, transport: connection.transport) }
                        }
                    }
                }
            } catch {
                log.debug("accept loop ended: \(error)")
            }
        }
        let port = bound.channel.localAddress?.port ?? configuration.port
        let scheme = tlsContext == nil ? "http" : "https"
        log.info("serving account \(configuration.account) on \(scheme)://\(configuration.host):\(port) from \(configuration.location), "
                 + "\(configuration.faultRules.count) fault rule(s), seed \(configuration.faultSeed), "
                 + "account limits: \(configuration.accountLimits.isEmpty ? "none" : configuration.accountLimits.text)")
        return EmulatorServer(host: configuration.host, port: port, scheme: scheme, faults: faults, accountLimiter: accountLimiter, group: group, pool: pool,
                              serverChannel: bound.channel, acceptLoop: acceptLoop)
    }

    /// Returns when the server has stopped (after `stop()`).
    public func waitUntilStopped() async {
        await acceptLoop.value
    }

    /// Stops accepting, cuts open connections, and releases threads.
    public func stop() async {
        acceptLoop.cancel()
        try? await serverChannel.close()
        await acceptLoop.value
        try? await group.shutdownGracefully()
        try? await pool.shutdownGracefully()
    }
}

/// One accepted connection: its HTTP channel and what its first byte said about TLS.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    let transport: ConnectionTransport
}
