import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import FerryEmulator

/// Starts an emulator on 127.0.0.1:0 over a fresh temporary location, runs `body`, and always
/// stops the server (and removes the location unless `keepLocation`).
func withEmulator<T>(location: String? = nil, faults: [FaultRule] = [],
                     _ body: (LiveEmulator) async throws -> T) async throws -> T {
    let directory = location ?? FileManager.default.temporaryDirectory
        .appendingPathComponent("ferry-emulator-test-\(UUID().uuidString)").path
    var configuration = EmulatorConfiguration()
    configuration.port = 0
    configuration.location = directory
    configuration.bearerToken = LiveEmulator.token
    configuration.faultRules = faults
    let server = try await EmulatorServer.start(configuration)
    let live = LiveEmulator(port: server.port)
    do {
        let result = try await body(live)
        await server.stop()
        if location == nil { try? FileManager.default.removeItem(atPath: directory) }
        return result
    } catch {
        await server.stop()
        if location == nil { try? FileManager.default.removeItem(atPath: directory) }
        throw error
    }
}

/// A tiny HTTP client for the live tests (bearer-token auth).
struct LiveEmulator {
    static let token = "live-test-token"
    let port: Int

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: String, _ pathAndQuery: String, headers: [String: String] = [:], body: Data? = nil,
              authorized: Bool = true) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!)
        request.httpMethod = method
        request.setValue("2021-08-06", forHTTPHeaderField: "x-ms-version")
        if authorized { request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = body } else if method == "PUT" { request.httpBody = Data() }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key] = value }
        }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }
}
