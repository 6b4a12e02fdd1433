import Foundation

/// `ferry verify`: checks a location against a receipt. The receipt is read and checked in full
/// first (order, counts, root hash: a changed receipt is refused before anything is compared),
/// staged beside the location's listing in a scratch database, and the two are joined by path
/// bytes. CRC-64s of the location come from the store where it keeps them (listing or `stat`),
/// or from the bytes (`readBytes`; local files always; objects with none stored); only objects
/// the receipt lists with the same size are checksummed. Problems are reported in UTF-8 byte
/// order of their paths. Stateless; the work blocks (call it from a thread of its own).
public enum ReceiptVerification {
    public struct Summary: Sendable, Hashable {
        public var receipt: ReceiptTrailer
        public var matched: Int64 = 0
        public var missing: Int64 = 0
        public var extra: Int64 = 0
        public var different: Int64 = 0
        public var unreadable: Int64 = 0
        /// Objects whose CRC-64 was not in the listing (stat'ed or read).
        public var checkedObjects = 0

        public var problemCount: Int64 { missing + extra + different + unreadable }
    }

    /// Compares; `report` sees each problem as it is found (on the calling thread). With `shard`,
    /// only that part of the receipt's split (the receipt is read twice: to split, to compare) and
    /// only the extra objects the shard owns: N workers check a dataset once between them.
    public static func run(receiptPath: String, endpoint: any Endpoint, readBytes: Bool, workerCount: Int,
                           shard: ShardSpec? = nil, report: (ReceiptProblem) -> Void) throws -> Summary {
        let staging = try ReceiptStaging()
        defer { staging.close() }
        let selection = try shard.map { try ShardSelection.ofReceipt(at: receiptPath, spec: $0) }
        defer { selection?.close() }
        let reader = try ReceiptReader(path: receiptPath)
        while let entry = try reader.next() {
            if let selection, !(try selection.owns(entry.path)) { continue }
            try staging.addExpected(entry)
        }
        var summary = Summary(receipt: reader.trailer!)

        var listing = try endpoint.list(prefix: "", recursive: true)
        let keepsListedCRC = endpoint.capabilities.isRemote && !readBytes
        while let info = try listing.next() {
            if let selection, !(try selection.owns(info.path)) { continue }
            try staging.addObject(info, keepStoredCRC64: keepsListedCRC)
        }
        summary.checkedObjects = try staging.fillChecksums(endpoint: endpoint, source: readBytes ? .read : .storedElseRead,
                                                           workerCount: workerCount, matchingExpectedSizeOnly: true)

        try staging.comparisonInOrder { row in
            guard let problem = problem(row) else {
                summary.matched += 1
                return
            }
            switch problem.kind {
            case .missing: summary.missing += 1
            case .extra: summary.extra += 1
            case .different: summary.different += 1
            case .unreadable: summary.unreadable += 1
            }
            report(problem)
        }
        return summary
    }

    /// The problem with one path, or nil when it matches.
    static func problem(_ row: ComparedPath) -> ReceiptProblem? {
        guard let expected = row.expected else {
            return ReceiptProblem(kind: .extra, path: row.path, actualSizeBytes: row.actualSizeBytes)
        }
        guard let actualSize = row.actualSizeBytes else {
            return ReceiptProblem(kind: .missing, path: row.path, expectedSizeBytes: expected.sizeBytes,
                                  expectedCRC64: expected.crc64)
        }
        if actualSize != expected.sizeBytes {
            return ReceiptProblem(kind: .different, path: row.path, expectedSizeBytes: expected.sizeBytes,
                                  actualSizeBytes: actualSize, expectedCRC64: expected.crc64, actualCRC64: row.actualCRC64)
        }
        guard let actualCRC = row.actualCRC64 else {
            return ReceiptProblem(kind: .unreadable, path: row.path, expectedSizeBytes: expected.sizeBytes,
                                  actualSizeBytes: actualSize, message: row.actualError ?? "no CRC-64 was found")
        }
        guard actualCRC == expected.crc64 else {
            return ReceiptProblem(kind: .different, path: row.path, expectedSizeBytes: expected.sizeBytes,
                                  actualSizeBytes: actualSize, expectedCRC64: expected.crc64, actualCRC64: actualCRC)
        }
        return nil
    }
}
