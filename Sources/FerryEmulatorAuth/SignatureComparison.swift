import FerryChecksums
import Foundation

/// HMAC-SHA256 signatures and their comparison. Stateless; safe anywhere.
enum SignatureComparison {
    static func sign(_ stringToSign: String, key: Data) -> Data {
        Digests.hmacSHA256(key: key, message: stringToSign)
    }

    /// Whether the base64 signature a client presented equals `expected`. Compares every byte
    /// whatever the outcome so the time taken does not reveal how many leading bytes matched.
    static func presented(_ presentedBase64: String, matches expected: Data) -> Bool {
        guard let presented = Data(base64Encoded: presentedBase64) else { return false }
        return constantTimeEqual(Array(presented), Array(expected))
    }

    /// Length may leak (it is public: a SHA-256 MAC or the token's own length); content may not.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
