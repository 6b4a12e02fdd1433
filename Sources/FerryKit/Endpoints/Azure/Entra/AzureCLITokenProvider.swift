import Foundation

/// The Azure CLI's login (`az login`): runs `az account get-access-token --output json --resource
/// https://storage.azure.com [--tenant T]` without a shell and reads `accessToken` and
/// `expires_on` (epoch, CLI ≥ 2.54) or `expiresOn` (local time, older CLIs). Immutable; safe from
/// any thread.
struct AzureCLITokenProvider: EntraTokenProvider {
    /// The `az` executable found on PATH.
    let executablePath: String
    /// `AZURE_TENANT_ID`, passed as `--tenant` when set.
    let tenantID: String?
    let timeoutSeconds: Double
    private let clock: @Sendable () -> Date

    init(executablePath: String, tenantID: String?, timeoutSeconds: Double = 30, clock: @escaping @Sendable () -> Date = Date.init) {
        self.executablePath = executablePath
        self.tenantID = tenantID
        self.timeoutSeconds = timeoutSeconds
        self.clock = clock
    }

    var credentialDescription: String { "the Azure CLI's login (\(executablePath))" }

    var arguments: [String] {
        ["account", "get-access-token", "--output", "json", "--resource", EntraScope.storageResource]
            + (tenantID.map { ["--tenant", $0] } ?? [])
    }

    func fetchToken() throws -> AccessToken {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["AZURE_CORE_NO_COLOR"] = "true"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw FerryError(.authenticationFailed, "cannot run the Azure CLI at \(executablePath): install it or "
                             + "choose another credential", disposition: .abortJob)
        }
        // Both pipes are drained on threads of their own, so a chatty CLI never blocks on a full
        // pipe and a hung one is still stopped at the timeout.
        let outputText = PipeText(output)
        let errorText = PipeText(errors)
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 5)
            throw FerryError(.authenticationFailed, "the Azure CLI did not answer within \(Int(timeoutSeconds)) s",
                             disposition: .abortJob)
        }
        let outputData = outputText.wait()
        let errorData = errorText.wait()
        guard process.terminationStatus == 0 else {
            let message = Redaction.text(EntraTokenResponse.firstLine(String(decoding: errorData, as: UTF8.self)))
            let advice = message.contains("az login") || message.isEmpty ? "run `az login`" : "check `az account show`"
            throw FerryError(.authenticationFailed, "the Azure CLI could not get a token for Azure Storage"
                             + (message.isEmpty ? "" : " (\(message))") + ": \(advice)", disposition: .abortJob)
        }
        guard let token = Self.token(fromOutput: outputData, now: clock()) else {
            throw FerryError(.authenticationFailed, "the Azure CLI's answer holds no accessToken with an expiry: "
                             + "update the Azure CLI", disposition: .abortJob)
        }
        return token
    }

    /// Parses `az account get-access-token --output json`.
    static func token(fromOutput data: Data, now: Date) -> AccessToken? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let value = object["accessToken"] as? String, !value.isEmpty else { return nil }
        if let epoch = EntraTokenResponse.number(object["expires_on"]) {
            return AccessToken(value: value, expiresOn: Date(timeIntervalSince1970: epoch), obtainedOn: now)
        }
        if let text = object["expiresOn"] as? String, let date = localTime(text) {
            return AccessToken(value: value, expiresOn: date, obtainedOn: now)
        }
        return nil
    }

    /// `2023-10-31 21:59:10.000000` in this machine's time zone, as older CLIs print it.
    static func localTime(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        for format in ["yyyy-MM-dd HH:mm:ss.SSSSSS", "yyyy-MM-dd HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// The first executable `az` on `path` (a PATH value), or nil.
    static func find(onPath path: String?) -> String? {
        for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/az"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Reads a pipe to its end on a thread of its own. Thread-safe: the data is handed over through a
/// semaphore after the reader is done with it.
private final class PipeText: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
