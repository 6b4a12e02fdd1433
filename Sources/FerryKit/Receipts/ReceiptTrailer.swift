import Foundation

/// The last line of a receipt: format name and version, how many files and bytes it lists, and
/// the root hash over its entries. Two receipts describe the same bytes under the same names
/// exactly when their trailers are equal, so they compare with one line. Value type.
public struct ReceiptTrailer: Sendable, Hashable {
    public static let formatName = "ferry-receipt"
    public static let currentVersion = 1

    public var version: Int
    public var fileCount: Int64
    public var totalBytes: Int64
    /// SHA-256 of the canonical entry lines (`ReceiptRootHash`), 64 lowercase hex digits.
    public var rootHash: String

    public init(version: Int = ReceiptTrailer.currentVersion, fileCount: Int64, totalBytes: Int64, rootHash: String) {
        self.version = version
        self.fileCount = fileCount
        self.totalBytes = totalBytes
        self.rootHash = rootHash
    }

    public func jsonLine() -> String {
        "{\"format\":\"\(Self.formatName)\",\"version\":\(version),\"files\":\(fileCount),\"bytes\":\(totalBytes),"
            + "\"rootHash\":\"\(rootHash)\"}"
    }
}
