import Foundation

/// base64url without padding (RFC 7515 §2), as JWTs carry their parts. Stateless.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func encode(_ text: String) -> String { encode(Data(text.utf8)) }

    /// nil when `text` has characters outside the base64url alphabet. Trailing `=` padding is
    /// accepted: MSAL pads the `x5t` thumbprint it puts in a client assertion's header.
    static func decode<S: StringProtocol>(_ text: S) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.hasSuffix("=") { standard.removeLast() }
        guard !standard.contains("=") else { return nil }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
