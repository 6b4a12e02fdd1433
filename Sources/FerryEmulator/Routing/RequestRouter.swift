import Foundation

/// Maps a method, raw path and raw query onto an operation (PROTOCOLS.md A4, path style only).
/// Pure and stateless; safe from any thread.
enum RequestRouter {
    /// The path split into account, container and decoded blob name.
    struct PathParts: Equatable {
        var account: String
        var container: String?
        var blob: String?
    }

    static func route(method: String, rawPath: String, rawQuery: String) throws(ServiceError) -> Route {
        let parts = try splitPath(rawPath)
        let query = parseQuery(rawQuery)
        let restype = query["restype"]?.lowercased()
        let comp = query["comp"]?.lowercased()
        func made(_ operation: EmulatorOperation) -> Route {
            Route(operation: operation, account: parts.account, container: parts.container, blob: parts.blob, query: query)
        }
        if restype == "account" && comp == "properties" && (method == "GET" || method == "HEAD") {
            return made(.getAccountInfo)
        }
        guard let container = parts.container else {
            if method == "GET" && comp == "list" { return made(.listContainers) }
            throw unsupported(method: method)
        }
        try validateContainerName(container)
        guard let blob = parts.blob else {
            guard restype == "container" else {
                throw ServiceError(status: 400, code: "InvalidQueryParameterValue",
                                   message: "Value for one of the query parameters specified in the request URI is invalid.",
                                   details: [("QueryParameterName", "restype"), ("QueryParameterValue", restype ?? "")])
            }
            switch (method, comp) {
            case ("PUT", nil): return made(.createContainer)
            case ("PUT", "metadata"): return made(.setContainerMetadata)
            case ("GET", nil), ("HEAD", nil), ("GET", "metadata"), ("HEAD", "metadata"): return made(.getContainerProperties)
            case ("GET", "list"): return made(.listBlobs)
            case ("DELETE", nil): return made(.deleteContainer)
            default: throw unsupported(method: method)
            }
        }
        try BlobNameRules.validate(blob)
        switch (method, comp) {
        case ("PUT", nil): return made(.putBlob)
        case ("PUT", "block"): return made(.putBlock)
        case ("PUT", "blocklist"): return made(.putBlockList)
        case ("GET", "blocklist"): return made(.getBlockList)
        case ("GET", nil): return made(.getBlob)
        case ("HEAD", nil), ("GET", "metadata"), ("HEAD", "metadata"): return made(.getBlobProperties)
        case ("DELETE", nil): return made(.deleteBlob)
        case ("PUT", "metadata"): return made(.setBlobMetadata)
        case ("PUT", "properties"): return made(.setBlobProperties)
        case ("PUT", "tier"): return made(.setBlobTier)
        default: throw unsupported(method: method)
        }
    }

    static func splitPath(_ rawPath: String) throws(ServiceError) -> PathParts {
        // Split on `/` bytes: a Character search would miss a `/` that a combining mark follows.
        let slashByte = UInt8(ascii: "/")
        var path = Substring(rawPath).utf8
        while path.first == slashByte { path = path.dropFirst() }
        guard !path.isEmpty else {
            throw ServiceError(status: 400, code: "InvalidUri",
                               message: "The requested URI does not represent any resource on the server.")
        }
        let account: Substring
        var rest: Substring = ""
        if let slash = path.firstIndex(of: slashByte) {
            account = Substring(path[..<slash])
            rest = Substring(path[path.index(after: slash)...])
        } else {
            account = Substring(path)
        }
        guard !rest.isEmpty else { return PathParts(account: String(account)) }
        let containerRaw: Substring
        var blobRaw: Substring = ""
        if let slash = rest.utf8.firstIndex(of: slashByte) {
            containerRaw = Substring(rest.utf8[..<slash])
            blobRaw = Substring(rest.utf8[rest.utf8.index(after: slash)...])
        } else {
            containerRaw = rest
        }
        guard let container = percentDecode(containerRaw), let blob = percentDecode(blobRaw) else {
            throw ServiceError(status: 400, code: "InvalidUri", message: "The requested URI is not correctly encoded.")
        }
        return PathParts(account: String(account), container: container, blob: blob.isEmpty ? nil : blob)
    }

    /// Query names lower-cased and values form-decoded: `+` is a space (Go's AzCopy encodes spaces
    /// so), and clients send a literal plus as %2B.
    static func parseQuery(_ rawQuery: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            let key = (formDecode(name) ?? String(name)).lowercased()
            if result[key] == nil { result[key] = formDecode(value) ?? String(value) }
        }
        return result
    }

    /// Query decoding: `+` is a space, then `%XX` escapes (nil when malformed).
    static func formDecode(_ text: Substring) -> String? {
        decode(text, plusIsSpace: true)
    }

    /// Decodes %XX escapes as UTF-8; nil when an escape or the UTF-8 is malformed.
    static func percentDecode(_ text: Substring) -> String? {
        decode(text, plusIsSpace: false)
    }

    /// Works on UTF-8 bytes: it runs for every name and value of every request, where
    /// Foundation's string search and replace cost a fifth of the emulator's CPU.
    private static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// 3–63 of `[a-z0-9-]`, starting and ending with a letter or digit, no `--` (A1).
    static func validateContainerName(_ name: String) throws(ServiceError) {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        let valid = (3...63).contains(bytes.count) && allowed && bytes.first != 45 && bytes.last != 45
            && !name.contains("--")
        if !valid {
            throw ServiceError(status: 400, code: "InvalidResourceName",
                               message: "The specifed resource name contains invalid characters.")
        }
    }

    private static func unsupported(method: String) -> ServiceError {
        ServiceError(status: 501, code: "NotImplemented",
                     message: "The requested operation (\(method)) is not implemented by ferry-emulator on this resource.")
    }
}
