import FerryEmulatorAuth
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves connections: for each request it routes, applies the account limits, authenticates,
/// draws a fault, runs the operation and writes the answer. Immutable references to thread-safe
/// parts (store, stats, faults, account limiter, pool), so one instance serves every connection
/// concurrently.
final class BlobService: Sendable {
    let configuration: EmulatorConfiguration
    let store: BlobStore
    let pool: NIOThreadPool
    let stats: EmulatorStats
    let faults: FaultInjector
    let accountLimiter: AccountLimiter
    let authenticator: RequestAuthenticator
    let log: RequestLog

    init(configuration: EmulatorConfiguration, store: BlobStore, pool: NIOThreadPool, stats: EmulatorStats,
         faults: FaultInjector, accountLimiter: AccountLimiter, authenticator: RequestAuthenticator, log: RequestLog) {
        self.configuration = configuration
        self.store = store
        self.pool = pool
        self.stats = stats
        self.faults = faults
        self.accountLimiter = accountLimiter
        self.authenticator = authenticator
        self.log = log
    }

    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
               transport: ConnectionTransport) async {
        let channel = connection.channel
        do {
            try await connection.executeThenClose { inbound, _ in
                let reader = RequestReader(inbound)
                let writer = ResponseWriter(channel: channel, stats: stats)
                while let head = try await reader.nextHead() {
                    // Known by now: the sniffer decided before the first byte reached the decoder.
                    let isTLS = transport.isTLS
                    guard try await handle(head, isTLS: isTLS, reader: reader, writer: writer) else { break }
                }
            }
        } catch {
            log.debug("connection closed: \(error)")
        }
    }

    /// Answers one request; false when the connection must close.
    private func handle(_ head: HTTPRequestHead, isTLS: Bool, reader: RequestReader, writer: ResponseWriter) async throws -> Bool {
        let started = Date()
        let requestID = UUID().uuidString.lowercased()
        let clientRequestID = head.headers.first(name: "x-ms-client-request-id")
        let keepAlive = head.isKeepAlive
        let (rawPath, rawQuery) = Self.split(uri: head.uri)
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" { try await writer.sendContinue() }
        if rawPath.hasPrefix(AdminEndpoint.prefix) {
            let admin = AdminEndpoint(faults: faults, stats: stats, accountLimiter: accountLimiter, entra: authenticator.entra, log: log)
            let response = await admin.answer(head, path: rawPath, reader: reader,
                                              peerIsLoopback: Self.isLoopback(writer.channel.remoteAddress))
            try await writer.send(response, requestID: requestID, clientRequestID: clientRequestID, keepAlive: keepAlive,
                                  isHead: head.method == .HEAD)
            return keepAlive
        }
        if let issuer = authenticator.entra,
           let route = IdentityRoute.match(method: head.method.rawValue, rawPath: rawPath, account: configuration.account) {
            let host = head.headers.first(name: "host") ?? "\(configuration.host):\(configuration.port)"
            let response = await IdentityEndpoint(issuer: issuer, log: log)
                .answer(route, head: head, rawQuery: rawQuery, baseURL: "\(isTLS ? "https" : "http")://\(host)", reader: reader)
            log.request(method: head.method.rawValue, path: rawPath, operation: "Entra", status: response.status, started: started)
            try await writer.send(response, requestID: requestID, clientRequestID: clientRequestID, keepAlive: keepAlive, isHead: false)
            return keepAlive
        }
        var operationName = "-"
        var status = 0
        defer { log.request(method: head.method.rawValue, path: rawPath, operation: operationName, status: status, started: started) }
        var response: ServiceResponse
        var context: RequestContext?
        var unsizedBodyAdmitted = false
        do {
            let route = try RequestRouter.route(method: head.method.rawValue, rawPath: rawPath, rawQuery: rawQuery)
            operationName = route.operation.rawValue
            stats.countRequest(route.operation)
            guard route.account == configuration.account else {
                throw ServiceError(status: 404, code: "ResourceNotFound",
                                   message: "The account \(route.account) does not exist on this emulator (it serves \(configuration.account)).")
            }
            // Before authentication and faults: a throttled service refuses before it looks further.
            unsizedBodyAdmitted = try admitUnderAccountLimits(head)
            try authenticate(route, head: head, rawPath: rawPath, rawQuery: rawQuery, isTLS: isTLS)
            let fault = faults.decide(for: route.operation)
            let host = head.headers.first(name: "host") ?? "\(configuration.host):\(configuration.port)"
            let made = RequestContext(route: route, head: head, requestID: requestID, fault: fault,
                                      serviceEndpoint: "\(isTLS ? "https" : "http")://\(host)/\(route.account)/")
            context = made
            if let fault {
                stats.countFault()
                try await actOut(fault, context: made, reader: reader)
            }
            response = try await perform(made, reader: reader)
            try await reader.drainBody()
        } catch let error as ServiceError {
            try await reader.drainBody()
            response = ResponseWriter.errorResponse(error, requestID: requestID)
        } catch RequestStreamError.dropConnection {
            status = -1
            return false
        } catch let error where !(error is RequestStreamError || error is ChannelError || error is IOError
                                  || error is CancellationError) {
            // A disk or encoding failure: answer 500 (retryable) rather than dropping the connection.
            try await reader.drainBody()
            response = ResponseWriter.errorResponse(.internalError("\(error)"), requestID: requestID)
        }
        if unsizedBodyAdmitted { accountLimiter.chargeIngress(bytes: reader.bodyBytesRead) }
        response = admitAnswerUnderAccountLimits(response, isHead: head.method == .HEAD, requestID: requestID)
        status = response.status
        if let fault = context?.fault, fault.kind == .stall {
            // After the request body is in: the client waits on its read, as with a slow server.
            try await Task.sleep(nanoseconds: UInt64(fault.stallSeconds * 1_000_000_000))
        }
        let isHead = head.method == .HEAD
        if case .blobContent(let segments) = response.body, !isHead {
            try await writer.head(response, requestID: requestID, clientRequestID: clientRequestID, keepAlive: keepAlive)
            let sender = ContentSender(writer: writer, pool: pool)
            switch context?.fault?.kind {
            case .drop?:
                try await sender.sendBuffers(segments, corrupt: false, limitBytes: response.bodyLength / 2)
                return false
            case .corrupt?:
                try await sender.sendBuffers(segments, corrupt: true, limitBytes: response.bodyLength)
            default:
                // TLS encrypts in user space: NIOSSL takes byte buffers, not sendfile regions.
                if isTLS {
                    try await sender.sendBuffers(segments, corrupt: false, limitBytes: response.bodyLength)
                } else {
                    try await sender.sendFileRegions(segments)
                }
            }
            try await writer.end()
        } else {
            try await writer.send(response, requestID: requestID, clientRequestID: clientRequestID, keepAlive: keepAlive,
                                  isHead: isHead)
        }
        return keepAlive
    }

    private func authenticate(_ route: Route, head: HTTPRequestHead, rawPath: String, rawQuery: String,
                              isTLS: Bool) throws(ServiceError) {
        var received = ReceivedRequest(method: head.method.rawValue, rawPath: rawPath, rawQuery: rawQuery,
                                       headers: head.headers.map { ($0.name, $0.value) }, account: route.account,
                                       container: route.container, blob: route.blob)
        received.isHTTPS = isTLS
        let publicAccess = route.container.flatMap { store.container($0) }.flatMap { PublicAccess(rawValue: $0.publicAccess) } ?? .none
        let verdict = authenticator.authenticate(received, requirement: AccessRequirements.requirement(for: route),
                                                 publicAccess: publicAccess)
        if case .failure(let rejection) = verdict {
            stats.countFailedAuth()
            throw ServiceError(status: rejection.status, code: rejection.code, message: rejection.message,
                               details: rejection.detail.map { [("AuthenticationErrorDetail", $0)] } ?? [],
                               headers: rejection.wwwAuthenticate.map { [("WWW-Authenticate", $0)] } ?? [])
        }
    }

    /// Busy and timeout answer instead of the operation; drop closes the connection
    /// (a request with a body after reading about half of it). Corrupt faults act later.
    private func actOut(_ fault: InjectedFault, context: RequestContext, reader: RequestReader) async throws {
        let retryAfter = fault.retryAfterSeconds.map { [("Retry-After", String($0))] } ?? []
        switch fault.kind {
        case .busy:
            throw ServiceError(status: 503, code: "ServerBusy", message: "Ingress is over the account limit.", headers: retryAfter)
        case .timeout:
            throw ServiceError(status: 500, code: "OperationTimedOut",
                               message: "Operation could not be completed within the specified time.", headers: retryAfter)
        case .stall:
            return  // acted out in handle(), once the answer is ready and the body is read
        case .drop:
            guard context.route.operation != .getBlob else { return }
            if context.hasBody {
                let half = (context.contentLength ?? 2) / 2
                var received: Int64 = 0
                while let chunk = try await reader.nextBodyChunk() {
                    received += Int64(chunk.readableBytes)
                    if received >= half { break }
                }
            }
            throw RequestStreamError.dropConnection
        case .corrupt, .corruptRequest:
            return
        }
    }

    private func perform(_ context: RequestContext, reader: RequestReader) async throws -> ServiceResponse {
        switch context.route.operation {
        case .createContainer: return try await createContainer(context)
        case .getContainerProperties: return try getContainerProperties(context)
        case .deleteContainer: return try await deleteContainer(context)
        case .setContainerMetadata: return try await setContainerMetadata(context)
        case .listContainers: return try listContainers(context)
        case .listBlobs: return try await listBlobs(context)
        case .putBlob: return try await putBlob(context, reader: reader)
        case .putBlock: return try await putBlock(context, reader: reader)
        case .putBlockList: return try await putBlockList(context, reader: reader)
        case .getBlockList: return try await getBlockList(context)
        case .getBlob, .getBlobProperties: return try await getBlob(context)
        case .deleteBlob: return try await deleteBlob(context)
        case .setBlobMetadata, .setBlobProperties: return try await updateBlob(context)
        case .setBlobTier: return try await setBlobTier(context)
        case .getAccountInfo:
            return ServiceResponse(status: 200, headers: [("x-ms-sku-name", "Standard_LRS"), ("x-ms-account-kind", "StorageV2"),
                                                          ("x-ms-is-hns-enabled", "false")])
        }
    }

    /// Runs blocking store work on the I/O pool.
    func onPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return address != nil }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    static func split(uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
