import Foundation
import CFerryCRC64
import Testing
@testable import FerryChecksums

@Suite struct CRC64Tests {
    @Test func publishedVectors() {
        #expect(CRC64.checksum(Data("123456789".utf8)) == 0xAE8B_1486_0A79_9888)
        #expect(CRC64.azureBase64(CRC64.checksum(Data("123456789".utf8))) == "iJh5CoYUi64=")
        #expect(CRC64.s3Base64(CRC64.checksum(Data("123456789".utf8))) == "rosUhgp5mIg=")
        #expect(CRC64.azureBase64(CRC64.checksum(Data("hello world".utf8))) == "vo7q9sPVKY0=")
        #expect(CRC64.azureBase64(CRC64.checksum(Data())) == "AAAAAAAAAAA=")
    }

    @Test func incrementalEqualsOneShotAtEveryAlignment() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC64.checksum(bytes)
        for split in [0, 1, 3, 7, 8, 9, 500, 999, 1000] {
            var crc = CRC64()
            crc.update(Array(bytes[..<split]))
            crc.update(Array(bytes[split...]))
            #expect(crc.value == whole)
        }
    }

    @Test func combineMatchesConcatenation() {
        let a = (0..<12345).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let b = (0..<777).map { UInt8(truncatingIfNeeded: $0 &* 101 &+ 3) }
        let combined = CRC64.combine(CRC64.checksum(a), CRC64.checksum(b), lengthOfB: Int64(b.count))
        #expect(combined == CRC64.checksum(a + b))
        #expect(CRC64.combine(CRC64.checksum(a), CRC64.checksum([UInt8]()), lengthOfB: 0) == CRC64.checksum(a))
    }

    @Test(arguments: [1, 7, 8, 63, 64, 4096, (1 << 20) + 3])
    func combineMatchesConcatenationForEveryLengthOfB(_ lengthOfB: Int) {
        let a = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        let b = (0..<lengthOfB).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 9)) }
        #expect(CRC64.combine(CRC64.checksum(a), CRC64.checksum(b), lengthOfB: Int64(lengthOfB)) == CRC64.checksum(a + b))
    }

    @Test func blockCRCsFoldIntoTheWholeFileCRC() {
        let data = (0..<(3 << 20) + 12345).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        let blockSize = 1 << 20
        var whole: UInt64 = 0
        for (index, start) in stride(from: 0, to: data.count, by: blockSize).enumerated() {
            let block = Array(data[start..<min(start + blockSize, data.count)])
            let crc = CRC64.checksum(block)
            whole = index == 0 ? crc : CRC64.combine(whole, crc, lengthOfB: Int64(block.count))
        }
        #expect(whole == CRC64.checksum(data))
    }

    @Test func base64RoundTrips() {
        let value: UInt64 = 0x0123_4567_89AB_CDEF
        #expect(CRC64.fromAzureBase64(CRC64.azureBase64(value)) == value)
        #expect(CRC64.fromS3Base64(CRC64.s3Base64(value)) == value)
        #expect(CRC64.fromAzureBase64("not base64") == nil)
    }
}

@Suite struct DigestTests {
    @Test func md5AndSHA256Vectors() {
        #expect(Digests.md5(Data("hello world".utf8)).base64EncodedString() == "XrY7u+Ae7tCTyyK7j1rNww==")
        #expect(Digests.sha256(Data("hello world".utf8)).base64EncodedString()
            == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        #expect(Digests.hex(Digests.sha256(Data())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hmacRFC4231Case2() {
        let mac = Digests.hmacSHA256(key: Data("Jefe".utf8), message: "what do ya want for nothing?")
        #expect(Digests.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}

/// The fast paths (slice-by-8 tables, carry-less-multiply folding for ≥ 64 bytes) against a
/// bit-at-a-time reference written straight from the polynomial.
@Suite struct CRC64FastPathTests {
    static func bitwiseReference(_ bytes: [UInt8], startingFrom crc: UInt64 = 0) -> UInt64 {
        var register = ~crc
        for byte in bytes {
            register ^= UInt64(byte)
            for _ in 0..<8 {
                register = register & 1 == 1 ? (register >> 1) ^ 0x9A6C_9329_AC4B_C9B5 : register >> 1
            }
        }
        return ~register
    }

    @Test(arguments: [63, 64, 65, 100, 111, 112, 113, 127, 128, 129, 175, 176, 177, 255, 256, 257, 383, 384, 399,
                      1000, 4103, 65_536 + 9])
    func matchesTheBitwiseReference(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(length + 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<3 { // unaligned starts too
            let slice = Array(bytes[start..<(start + length)])
            #expect(CRC64.checksum(slice) == Self.bitwiseReference(slice))
            let prefix = UInt64.random(in: 0...UInt64.max, using: &generator)
            var continued = CRC64(value: prefix)
            continued.update(slice)
            #expect(continued.value == Self.bitwiseReference(slice, startingFrom: prefix))
            // Each implementation on its own, so the ones this CPU does not pick by default are
            // checked too (on a CPU without one, that case checks the tables again).
            for path in [FERRY_CRC64_TABLE, FERRY_CRC64_CLMUL, FERRY_CRC64_WIDE_CLMUL] {
                let crc = slice.withUnsafeBytes { ferry_crc64_update_using(Int32(path), prefix, $0.baseAddress, $0.count) }
                #expect(crc == Self.bitwiseReference(slice, startingFrom: prefix), "path \(path)")
            }
        }
    }
}
