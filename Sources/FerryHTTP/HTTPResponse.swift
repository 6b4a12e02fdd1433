import Foundation

/// A received response: status, headers with lower-cased names, and the body if it was collected.
/// Value type; safe to share between threads.
public struct HTTPResponse: Sendable {
    /// Largest error body kept when the success body goes into a caller's buffer.
    public static let errorBodyLimitBytes = 64 << 10

    public var status: Int
    /// Lower-cased names. A header sent several times has its values joined with ", ".
    public var headers: [String: String]
    /// The collected body: the whole body for `.collect`, or the error body for `.buffer`.
    public var body: Data
    /// Bytes written into the caller's buffer or handed to its sink (`.buffer` or `.stream`
    /// destination with a 2xx status), else 0.
    public var bytesWrittenToBuffer: Int

    public init(status: Int, headers: [String: String], body: Data = Data(), bytesWrittenToBuffer: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bytesWrittenToBuffer = bytesWrittenToBuffer
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The header's value, by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
