import Foundation
import NIOCore
import NIOHTTP1

/// `/__ferry/…`: fault rules, statistics and health for tests (the emulator contract). No auth;
/// answers loopback peers only. Holds references to thread-safe parts; safe from any task.
struct AdminEndpoint {
    static let prefix = "/__ferry/"

    let faults: FaultInjector
    let stats: EmulatorStats

    func answer(_ head: HTTPRequestHead, path: String, reader: RequestReader, peerIsLoopback: Bool) async -> ServiceResponse {
        guard peerIsLoopback else { return Self.json(403, "{\"error\":\"the admin endpoint answers loopback clients only\"}") }
        let body: ByteBuffer?
        do {
            body = try await reader.collectBody(limitBytes: 1 << 20)
        } catch {
            return Self.json(400, "{\"error\":\"cannot read the request body\"}")
        }
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

    static func json(_ status: Int, _ text: String) -> ServiceResponse {
        ServiceResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(ByteBuffer(string: text)))
    }
}
