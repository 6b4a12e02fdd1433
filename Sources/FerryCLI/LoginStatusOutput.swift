import Foundation
import FerryKit

/// How `ferry login status` prints its findings: text lines or one JSON object. Never a token:
/// only the principal's identifiers and the expiry.
enum LoginStatusOutput {
    static func text(_ status: AzureSignInStatus, now: Date) -> String {
        var lines = ["Credential: \(status.credential)"]
        if let principal = status.principal {
            lines.append("Tenant: \(principal.tenantID ?? "-")")
            lines.append("Client ID: \(principal.clientID ?? "-")")
            lines.append("Object ID: \(principal.objectID ?? "-")")
        }
        if let expiresOn = status.expiresOn {
            let minutes = Int((expiresOn.timeIntervalSince(now) / 60).rounded(.down))
            let remaining = minutes >= 0 ? "in \(minutes) min" : "expired \(-minutes) min ago"
            lines.append("Token expires: \(timestamp(expiresOn)) (\(remaining))")
        }
        if let location = status.location {
            lines.append("Location: \(location)")
            for (operation, access) in status.probes {
                lines.append("\(operation.prefix(1).uppercased() + operation.dropFirst()): \(access.word)"
                             + (access.reason.map { " (\($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ status: AzureSignInStatus) -> String {
        var object: [String: Any] = ["type": "loginStatus", "credential": status.credential]
        if let principal = status.principal {
            object["tenantID"] = principal.tenantID ?? NSNull()
            object["clientID"] = principal.clientID ?? NSNull()
            object["objectID"] = principal.objectID ?? NSNull()
        }
        if let expiresOn = status.expiresOn { object["expiresOn"] = timestamp(expiresOn) }
        if let location = status.location {
            object["location"] = location
            var access: [String: Any] = [:]
            for (operation, result) in status.probes {
                access[operation] = ["result": result.word, "reason": result.reason ?? NSNull()] as [String: Any]
            }
            object["access"] = access
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
