/// Errors of the HTTP layer. HTTP statuses are not errors here: a 404 is a response for the
/// endpoint to classify. These are the failures to get any usable response at all.
/// Value type; safe to share between threads. Messages never contain the request URL's query.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// libcurl failed the transfer; `curlCode` is its CURLcode number.
        case transport(curlCode: Int)
        /// The server sent more body than the destination can hold.
        case responseTooLarge(limitBytes: Int)
        /// libcurl refused a setting (a bug or a libcurl built without a needed feature).
        case configuration(curlCode: Int)
    }

    public var kind: Kind
    /// One line from libcurl (e.g. "Failed to connect to 127.0.0.1 port 9 after 0 ms").
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The libcurl code, if this error came from libcurl.
    public var curlCode: Int? {
        switch kind {
        case .transport(let code), .configuration(let code): return code
        case .responseTooLarge: return nil
        }
    }

    /// Whether sending the same request again may succeed: connection, DNS, TLS handshake, stall
    /// and receive errors are; a URL libcurl cannot parse, a certificate that does not verify, or a
    /// body that does not fit are not.
    public var isRetryable: Bool {
        switch kind {
        case .transport(let code): return !Self.permanentCurlCodes.contains(code)
        case .responseTooLarge, .configuration: return false
        }
    }

    public var description: String {
        switch kind {
        case .transport(let code): return "\(message) (curl error \(code))"
        case .configuration(let code): return "HTTP client setup failed: \(message) (curl error \(code))"
        case .responseTooLarge(let limit): return "the server sent more than the expected \(limit) bytes"
        }
    }

    /// CURLcode values for which a retry cannot help: unsupported protocol (1), malformed URL (3),
    /// a callback aborted the transfer (42), bad certificate / CA problems (60, 77, 83, 90, 91).
    static let permanentCurlCodes: Set<Int> = [1, 3, 42, 60, 77, 83, 90, 91]
}
