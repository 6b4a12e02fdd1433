import Foundation
import Testing
@testable import FerryKit

#if canImport(Glibc)
import Glibc
#endif

/// A SeaweedFS `weed mini` server for live S3 tests: loopback only, free ports, a fresh data
/// directory, a generated identity, and the bucket `SeaweedProcess.bucket` created at start.
/// The binary comes from `FERRY_WEED_BIN`, else `.tools/seaweedfs/bin/weed` in the package root
/// (`scripts/install-seaweedfs` puts it there). A server that does not answer within 30 s is a
/// test failure, never a skip. Not thread-safe: one test owns one server.
final class SeaweedProcess {
    static let bucket = "ferry-test"
    static let startupTimeoutSeconds = 30.0

    let endpointURL: String
    let accessKey: String
    let secret: String
    private let process: Process
    private let directory: URL

    private init(endpointURL: String, accessKey: String, secret: String, process: Process, directory: URL) {
        self.endpointURL = endpointURL
        self.accessKey = accessKey
        self.secret = secret
        self.process = process
        self.directory = directory
    }

    static func weedBinary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FERRY_WEED_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".tools/seaweedfs/bin/weed").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SeaweedFailure(message: "no weed binary at \(path): run scripts/install-seaweedfs or set FERRY_WEED_BIN")
        }
        return path
    }

    /// Starts a server and waits until it answers a signed ListObjectsV2 on the test bucket.
    /// Ports are picked free but can be taken before weed binds them (parallel tests' client
    /// sockets share the range): a start that fails on "address already in use" is tried again
    /// with new ports, up to three times; any other failure fails at once.
    static func start() throws -> SeaweedProcess {
        var attempt = 1
        while true {
            do {
                return try startOnce()
            } catch let failure as SeaweedFailure where attempt < 3 && failure.message.contains(Self.portTakenMarker) {
                attempt += 1
            }
        }
    }

    private static let portTakenMarker = "port taken"

    private static func startOnce() throws -> SeaweedProcess {
        let binary = try weedBinary()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-seaweed-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let accessKey = "FERRY" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(15))
        let secret = UUID().uuidString + UUID().uuidString
        let identities = """
        {"identities":[{"name":"ferry","credentials":[{"accessKey":"\(accessKey)","secretKey":"\(secret)"}],\
        "actions":["Admin","Read","List","Write"]}]}
        """
        let configPath = directory.appendingPathComponent("s3.json")
        try Data(identities.utf8).write(to: configPath)

        let ports = try freePorts(count: 5)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "mini", "-dir=\(directory.appendingPathComponent("data").path)",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
            "-s3.config=\(configPath.path)", "-bucket=\(bucket)",
            "-s3.port=\(ports[0])", "-master.port=\(ports[1])", "-volume.port=\(ports[2])",
            "-filer.port=\(ports[3])", "-admin.port=\(ports[4])", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.concurrentUploadLimitMB=64",
            "-master.volumeSizeLimitMB=64",
        ]
        let logPath = directory.appendingPathComponent("weed.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let server = SeaweedProcess(endpointURL: "http://127.0.0.1:\(ports[0])", accessKey: accessKey, secret: secret,
                                    process: process, directory: directory)
        do {
            try server.waitUntilReady()
        } catch {
            let logText = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            server.stop()
            let portTaken = logText.contains("address already in use") || logText.contains("Port allocation failed")
                ? " (\(Self.portTakenMarker))" : ""
            throw SeaweedFailure(message: "SeaweedFS did not answer within \(Int(startupTimeoutSeconds)) s\(portTaken): \(error)\n"
                                 + String(logText.suffix(2000)))
        }
        return server
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(Self.startupTimeoutSeconds)
        let endpoint = try S3Endpoint(url: "s3://\(Self.bucket)", options: S3EndpointOptions(endpointURL: endpointURL),
                                      credentials: S3CredentialSources(environment: [
                                          "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret]),
                                      connectionCount: 1)
        var lastError: any Error = SeaweedFailure(message: "never tried")
        while Date() < deadline {
            guard process.isRunning else {
                throw SeaweedFailure(message: "weed exited with status \(process.terminationStatus)")
            }
            do {
                var listing = try endpoint.list(prefix: "", recursive: true)
                _ = try listing.next()
                return
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        throw lastError
    }

    /// Stops the server by its PID (SIGTERM, then SIGKILL after 10 s) and removes its directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `count` loopback ports that are free together with port + 10000 (weed's gRPC ports).
    private static func freePorts(count: Int) throws -> [Int] {
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 2000 else { throw SeaweedFailure(message: "found no free loopback ports") }
            let port = Int.random(in: 20_000..<45_000)
            // weed refuses a port that equals another one's gRPC port (port + 10000) as well.
            let clashes = ports.contains { $0 == port || $0 == port + 10_000 || $0 + 10_000 == port }
            if !clashes, isFree(port), isFree(port + 10_000) { ports.append(port) }
        }
        return ports
    }

    private static func isFree(_ port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct SeaweedFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs `body` against a fresh SeaweedFS server and always stops it afterwards.
func withSeaweed<T>(_ body: (_ endpointURL: String, _ accessKey: String, _ secret: String) throws -> T) throws -> T {
    let server = try SeaweedProcess.start()
    defer { server.stop() }
    return try body(server.endpointURL, server.accessKey, server.secret)
}
