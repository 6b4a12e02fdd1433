import FerryEmulatorAuth
import Foundation
import NIOCore
import NIOHTTP1

/// `/__ferry/…`: fault rules, account limits, statistics and health for tests (the emulator
/// contract). No auth; answers loopback peers only. Holds references to thread-safe parts; safe
/// from any task.
struct AdminEndpoint {
    static let prefix = "/__ferry/"

    let faults: FaultInjector
    let stats: EmulatorStats
    let accountLimiter: AccountLimiter
    /// The Entra ID issuer (`--principals`), for its hooks (`AdminEndpoint+Entra.swift`).
    let entra: EntraIssuer?
    let log: RequestLog

    func answer(_ head: HTTPRequestHead, path: String, reader: RequestReader, peerIsLoopback: Bool) async -> ServiceResponse {
        guard peerIsLoopback else { return Self.json(403, "{\"error\":\"the admin endpoint answers loopback clients only\"}") }
        let body: ByteBuffer?
        do {
            body = try await reader.collectBody(limitBytes: 1 << 20)
        } catch {
            return Self.json(400, "{\"error\":\"cannot read the request body\"}")
        }
        if let answer = answerEntra(head.method, path.dropFirst(Self.prefix.count), body: body) { return answer }
        switch (head.method, path.dropFirst(Self.prefix.count)) {
        case (.GET, "health"), (.HEAD, "health"):
            return ServiceResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .bytes(ByteBuffer(string: "ok")))
        case (.GET, "faults"):
            return Self.json(200, faults.json())
        case (.PUT, "faults"):
            do {
                let (seed, rules) = try Self.parseFaults(body ?? ByteBuffer(), currentSeed: faults.seed)
                faults.replace(rules: rules, seed: seed)
                return Self.json(200, faults.json())
            } catch {
                return Self.json(400, "{\"error\":\(JSONText.quote(error.description))}")
            }
        case (.DELETE, "faults"):
            faults.clear()
            return Self.json(200, faults.json())
        case (.GET, "account-limits"):
            return Self.json(200, accountLimiter.json())
        case (.PUT, "account-limits"), (.POST, "account-limits"):
            do {
                accountLimiter.replace(try Self.parseAccountLimits(body ?? ByteBuffer()))
                return Self.json(200, accountLimiter.json())
            } catch {
                return Self.json(400, "{\"error\":\(JSONText.quote(error.description))}")
            }
        case (.DELETE, "account-limits"):
            accountLimiter.replace(AccountLimits())
            return Self.json(200, accountLimiter.json())
        case (.GET, "stats"):
            return Self.json(200, stats.json())
        case (.DELETE, "stats"):
            stats.reset()
            return Self.json(200, stats.json())
        default:
            return Self.json(404, "{\"error\":\(JSONText.quote("no admin resource \(head.method.rawValue) \(path)"))}")
        }
    }

    /// `{"seed": 7, "rules": ["busy:ops=PutBlock,rate=0.3", …]}`; a missing seed keeps the current one.
    static func parseFaults(_ body: ByteBuffer, currentSeed: UInt64) throws(FaultRule.ParseError) -> (UInt64, [FaultRule]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw FaultRule.ParseError(description: "the body must be a JSON object like {\"seed\": 7, \"rules\": [\"busy:ops=PutBlock\"]}")
        }
        var seed = currentSeed
        if let value = object["seed"] {
            guard let number = value as? NSNumber, number.int64Value >= 0 else {
                throw FaultRule.ParseError(description: "seed must be a whole number ≥ 0")
            }
            seed = UInt64(number.int64Value)
        }
        guard let texts = (object["rules"] ?? [String]()) as? [String] else {
            throw FaultRule.ParseError(description: "rules must be a list of rule strings")
        }
        var rules: [FaultRule] = []
        for text in texts { rules.append(try FaultRule.parse(text)) }
        return (seed, rules)
    }

    /// The `--account-limits` text (`requests-per-second=20,ingress-mbps=80`), or a JSON object
    /// with the same keys (`{"requests-per-second": 20, "retry-after": 1}`; null leaves a key
    /// unset). An empty body sets no limits.
    static func parseAccountLimits(_ body: ByteBuffer) throws(AccountLimits.ParseError) -> AccountLimits {
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        guard text.first(where: { !$0.isWhitespace }) == "{" else {
            return try AccountLimits.parse(text.split(whereSeparator: \.isNewline).joined(separator: ","))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw AccountLimits.ParseError(description: "the body must be key=value text or a JSON object like {\"requests-per-second\": 20}")
        }
        var pairs: [String] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            switch value {
            case is NSNull: continue
            case let number as NSNumber: pairs.append("\(key)=\(number.stringValue)")
            case let string as String: pairs.append("\(key)=\(string)")
            default: throw AccountLimits.ParseError(description: "account limit '\(key)' must be a number")
            }
        }
        return try AccountLimits.parse(pairs.joined(separator: ","))
    }

    static func json(_ status: Int, _ text: String) -> ServiceResponse {
        ServiceResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(ByteBuffer(string: text)))
    }
}
