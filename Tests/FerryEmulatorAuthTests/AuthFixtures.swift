import Foundation
@testable import FerryEmulatorAuth

/// Shared values for the auth tests: the public development account (PROTOCOLS.md A1), the time
/// the published vectors were signed at, and requests built the way the wire carries them.
enum AuthFixtures {
    static let account = "devstoreaccount1"
    static let keyBase64 = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    static let key = Data(base64Encoded: keyBase64) ?? Data()
    /// Any other 64-byte key: a request signed with the dev key must not verify against it.
    static let otherKey = Data(repeating: 0x5A, count: 64)

    /// `x-ms-date` of the Shared Key vectors, and the same instant as a `Date`.
    static let vectorDate = "Mon, 01 Jan 2024 00:00:00 GMT"
    static let vectorNow = Date(timeIntervalSince1970: 1_704_067_200)
    /// Inside every SAS vector's window (2024-01-01 … 2030-01-01).
    static let sasNow = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15

    static let authenticator = RequestAuthenticator(accountName: account, keys: [key], bearerToken: nil)

    static let readBlob = AccessRequirement(anyOf: ["r"], level: .object, isAnonymousReadable: true)
    static let writeBlob = AccessRequirement(anyOf: ["w", "c"], level: .object)
    static let listBlobs = AccessRequirement(anyOf: ["l"], level: .container, isContainerList: true)
    static let createContainer = AccessRequirement(anyOf: ["c"], level: .container)
    static let listContainers = AccessRequirement(anyOf: ["l"], level: .service)

    /// A request as the server would hand it over: `rawPath` still encoded, container and blob
    /// taken from it and decoded.
    static func request(_ method: String, _ rawPath: String, query: String = "",
                        headers: [(String, String)] = []) -> ReceivedRequest {
        let segments = rawPath.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        let container = segments.count > 2 && !segments[2].isEmpty
            ? String(segments[2].split(separator: "/", maxSplits: 1)[0]) : nil
        let blobPart = segments.count > 2 ? segments[2].split(separator: "/", maxSplits: 1) : []
        let blob = blobPart.count == 2 ? QueryParameters.percentDecode(blobPart[1]) : nil
        return ReceivedRequest(method: method, rawPath: rawPath, rawQuery: query,
                               headers: headers.map { (name: $0.0, value: $0.1) },
                               account: account, container: container, blob: blob)
    }

    /// Shared Key vector headers: the date and version the vectors were signed with, plus `extra`.
    static func signedHeaders(_ signature: String, _ extra: [(String, String)] = []) -> [(String, String)] {
        [("x-ms-date", vectorDate), ("x-ms-version", "2021-08-06")] + extra
            + [("Authorization", "SharedKey \(account):\(signature)")]
    }
}

extension Result where Failure == AuthRejection {
    var rejection: AuthRejection? {
        if case .failure(let rejection) = self { return rejection }
        return nil
    }

    var principal: Success? {
        if case .success(let principal) = self { return principal }
        return nil
    }
}
