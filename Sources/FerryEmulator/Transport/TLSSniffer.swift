import NIOCore
import NIOSSL
import Synchronization

/// Whether one connection turned out to speak TLS. Set once by `TLSSniffer` before the first
/// byte reaches the HTTP decoder, read by the connection's task after its first request head.
/// Thread-safe (`Mutex`).
final class ConnectionTransport: Sendable {
    private let tls = Mutex(false)

    var isTLS: Bool { tls.withLock { $0 } }
    func markTLS() { tls.withLock { $0 = true } }
}

/// First handler of every connection when the emulator has a certificate: a TLS ClientHello
/// starts with the handshake record type 0x16, which no HTTP request line starts with, so the
/// first byte decides whether a `NIOSSLServerHandler` goes in front of the HTTP decoder. One port
/// thus serves https (Microsoft's SDKs refuse bearer tokens and authorities over http) and plain
/// http (the admin endpoint, Shared Key and SAS clients, existing scripts). Removes itself after
/// the first read. Used on its channel's event loop only.
final class TLSSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let handshakeRecordType: UInt8 = 0x16

    private let context: NIOSSLContext
    private let transport: ConnectionTransport

    init(context: NIOSSLContext, transport: ConnectionTransport) {
        self.context = context
        self.transport = transport
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == Self.handshakeRecordType {
            transport.markTLS()
            do {
                try channelContext.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context),
                                                                      position: .after(self))
            } catch {
                channelContext.fireErrorCaught(error)
                channelContext.close(promise: nil)
                return
            }
        }
        channelContext.fireChannelRead(data)
        _ = channelContext.pipeline.syncOperations.removeHandler(context: channelContext)
    }
}
