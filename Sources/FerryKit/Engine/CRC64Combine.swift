import FerryChecksums

/// The engine's one use of CRC combination, so the rule (whole CRC = fold of block CRCs in order)
/// lives in one place. Stateless.
enum CRC64Combine {
    static func combine(_ crcA: UInt64, _ crcB: UInt64, lengthOfB: Int64) -> UInt64 {
        CRC64.combine(crcA, crcB, lengthOfB: lengthOfB)
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 { CRC64.checksum(bytes) }
}
