import Foundation

/// Everything the server needs to start: where to listen, where to keep state, which account it
/// serves, and the fault rules. Value type; safe from any thread. `accountKey` and `bearerToken`
/// are secrets: they are never logged or echoed.
public struct EmulatorConfiguration: Sendable {
    /// The well-known development key (PROTOCOLS.md A1).
    public static let developmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

    public enum LogLevel: String, Sendable, CaseIterable { case error, info, debug }

    public var host: String = "127.0.0.1"
    /// 0 picks a free port; the server reports the real one.
    public var port: Int = 10000
    public var location: String = "./.ferry-emulator"
    public var account: String = "devstoreaccount1"
    public var accountKey: String = developmentKey
    public var bearerToken: String?
    /// PEM certificate chain and private key: with both, the port also speaks TLS (https).
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// The Entra ID directory (`--principals`): principals, secrets, certificates, role assignments.
    public var principalsPath: String?
    public var faultRules: [FaultRule] = []
    public var faultSeed: UInt64 = 1
    /// Account scalability limits (requests per second, ingress/egress Mb/s); empty = none.
    public var accountLimits = AccountLimits()
    public var logLevel: LogLevel = .error
    /// Threads for blocking disk I/O and checksums.
    public var ioThreads: Int = 6

    public init() {}
}
