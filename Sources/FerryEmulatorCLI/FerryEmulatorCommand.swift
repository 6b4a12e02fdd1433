import ArgumentParser
import FerryEmulator
import Foundation

@main
struct FerryEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-emulator",
        abstract: "Serves a local Azure Blob Storage account that Microsoft's own clients can use.",
        discussion: """
            Block blobs, containers, listings, conditional requests, MD5/CRC-64 checks, Shared Key, SAS \
            and bearer auth, with path-style URLs: http://HOST:PORT/ACCOUNT/CONTAINER/BLOB. State lives \
            under --location and survives restarts. When ready it prints \
            "ferry-emulator listening on http://HOST:PORT" on stdout (https with --tls-cert, when the \
            same port answers both: a connection that opens with a TLS handshake gets TLS). Test hooks live under /__ferry/ \
            (faults, account-limits, stats, health, and with --principals: principals, \
            federated-token, access-token, issued-tokens).

            Fault RULE: KIND[:key=value,...] with KIND busy (503 ServerBusy), timeout (500 \
            OperationTimedOut), drop (close mid-body), stall (delay the answer), corrupt (flip response \
            bytes of Get Blob) or corrupt-request (flip uploaded bytes before checking); keys ops=PutBlock+GetBlob, \
            rate=0.25, after=N, count=N, retry-after=S, seconds=S.

            Account LIMITS: key=value,... with requests-per-second=N, ingress-mbps=N and egress-mbps=N \
            (megabits per second of request and response bodies) and retry-after=S. Past a limit a request \
            is refused with 503 ServerBusy, as Azure throttles; refusals are counted under \
            accountLimitRefusals in /__ferry/stats.

            PRINCIPALS file (JSON; use with --tls-cert, as Microsoft's SDKs want https): \
            {"tenantId": T, "tokenLifetimeSeconds": 3600, "clockSkewSeconds": 300, "identityHeader": H, \
            "principals": [{"displayName": D, "clientId": C, "objectId": O, "clientSecret": S, \
            "certificate": "PEM path", "federatedCredentials": [{"issuer": I, "subject": U}], \
            "managedIdentity": true, "roles": [{"role": "Storage Blob Data Reader|Contributor|Owner", \
            "scope": "account|container/NAME"}]}]}. The port then serves the authority \
            https://HOST:PORT/T (openid-configuration, keys, oauth2/v2.0/token), managed identity at \
            /msi/token (IDENTITY_ENDPOINT, X-IDENTITY-HEADER H) and /metadata/identity/oauth2/token \
            (AZURE_POD_IDENTITY_AUTHORITY_HOST), and checks tokens' roles on every request. \
            POST /__ferry/federated-token {"subject": U} mints a workload's federated token; tokens \
            issued are logged on stderr and listed at /__ferry/issued-tokens.

              $ ferry-emulator --port 10000 --location /tmp/ferry-emu
              $ ferry-emulator --port 0 --fault 'busy:ops=PutBlock,rate=0.3' --fault-seed 7
              $ ferry-emulator --account-limits requests-per-second=20,egress-mbps=200
              $ curl -X PUT -d ingress-mbps=8 127.0.0.1:10000/__ferry/account-limits
              $ curl http://127.0.0.1:10000/__ferry/stats
              $ ferry-emulator --tls-cert server.pem --tls-key server-key.pem --principals principals.json
            """,
        version: FerryEmulatorVersion.string)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on; 0 picks a free one.")
    var port = 10000

    @Option(help: "Directory that holds all state; created if missing.")
    var location = "./.ferry-emulator"

    @Option(help: "Storage account name served.")
    var account = "devstoreaccount1"

    @Option(name: .customLong("account-key"), help: "Base64 account key for Shared Key and SAS (default: the well-known development key).")
    var accountKey: String?

    @Option(name: .customLong("bearer-token"), help: "Accept 'Authorization: Bearer TOKEN' with this token (default: none).")
    var bearerToken: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: with --tls-key the port serves https as well as http (default: http only).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("principals"),
            help: "Entra ID directory (JSON, see above): issue tokens and enforce Storage Blob Data roles (default: none).")
    var principals: String?

    @Option(name: .customLong("fault"), help: "Inject faults per RULE (repeatable; default: none). See above.")
    var faults: [String] = []

    @Option(name: .customLong("fault-seed"), help: "Seed for the fault rules' random choices.")
    var faultSeed: UInt64 = 1

    @Option(name: .customLong("account-limits"),
            help: "Account LIMITS (requests/s, ingress and egress Mb/s) past which requests get 503 ServerBusy (default: none). See above.")
    var accountLimits: String?

    @Option(name: .customLong("log-level"), help: "error, info or debug (debug: one line per request on stderr).")
    var logLevel = "error"

    func validate() throws {
        guard EmulatorConfiguration.LogLevel(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be error, info or debug, not '\(logLevel)'")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard Data(base64Encoded: accountKey ?? EmulatorConfiguration.developmentKey) != nil else { throw ValidationError("--account-key must be base64") }
        for rule in faults {
            do { _ = try FaultRule.parse(rule) } catch { throw ValidationError("--fault: \(error)") }
        }
        if let accountLimits {
            do { _ = try AccountLimits.parse(accountLimits) } catch { throw ValidationError("--account-limits: \(error)") }
        }
    }

    func run() async throws {
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.location = location
        configuration.account = account
        configuration.accountKey = accountKey ?? EmulatorConfiguration.developmentKey
        configuration.bearerToken = bearerToken
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsKeyPath = tlsKey
        configuration.principalsPath = principals
        configuration.faultRules = try faults.map { try FaultRule.parse($0) }
        configuration.faultSeed = faultSeed
        configuration.accountLimits = try accountLimits.map { try AccountLimits.parse($0) } ?? AccountLimits()
        configuration.logLevel = EmulatorConfiguration.LogLevel(rawValue: logLevel) ?? .error
        // A reader that goes away must not kill the server (write() reports EPIPE instead).
        signal(SIGPIPE, SIG_IGN)
        // Signal handling starts before anything else: a harness may send SIGTERM at any time,
        // even right after the "listening" line.
        let stopper = SignalStopper()
        stopper.install()
        let server: EmulatorServer
        do {
            server = try await EmulatorServer.start(configuration)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        stopper.attach(server)
        let shownHost = host.contains(":") ? "[\(host)]" : host
        // Unbuffered write: tests wait for this exact line.
        writeToStandardOutput("ferry-emulator listening on \(server.scheme)://\(shownHost):\(server.port)\n")
        writeToStandardOutput("account \(account), location \(location)\n")
        await server.waitUntilStopped()
        throw ExitCode.success
    }
}

/// Unbuffered write to stdout that ignores a closed pipe (FileHandle.write traps on EPIPE).
func writeToStandardOutput(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}
