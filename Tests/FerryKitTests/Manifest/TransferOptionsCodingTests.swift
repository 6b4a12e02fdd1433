import Foundation
import Testing
@testable import FerryKit

/// Options are recorded as JSON in each job's manifest; a resume must read back what was chosen,
/// including options added after a job was written.
@Suite struct TransferOptionsCodingTests {
    @Test func fsyncChoiceSurvivesTheRoundTrip() throws {
        var options = TransferOptions()
        options.flushesToDisk = true
        let decoded = try JSONDecoder().decode(TransferOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded.flushesToDisk == true)
        #expect(decoded == options)
    }

    @Test func optionsRecordedBeforeFsyncExistedStillDecodeWithItOff() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(TransferOptions())) as? [String: Any])
        json["flushesToDisk"] = nil
        let decoded = try JSONDecoder().decode(TransferOptions.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.flushesToDisk != true)
    }

    /// `jobs resume` signs in the way the job did: `--auth` and `--ca-file` are recorded (never a
    /// secret); a job recorded before they existed decodes without them; flags given again win.
    @Test func azureSignInSettingsAreRecordedForResume() throws {
        var spec = ManifestStoreTests.spec()
        spec.azureSignIn = AzureSignInSettings(authMode: .entra, caFile: "/etc/ferry/ca.pem").recorded
        let data = try JSONEncoder().encode(spec)
        let decoded = try JSONDecoder().decode(JobSpec.self, from: data)
        #expect(decoded.azureSignIn == AzureSignInSettings(authMode: .entra, caFile: "/etc/ferry/ca.pem"))
        #expect(String(decoding: data, as: UTF8.self).contains("\"entra\""))

        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["azureSignIn"] = nil
        let older = try JSONDecoder().decode(JobSpec.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(older.azureSignIn == nil)

        #expect(AzureSignInSettings().recorded == nil)
        let resumed = AzureSignInSettings(authMode: .entra, caFile: "/old.pem").overridden(by: AzureSignInSettings(caFile: "/new.pem"))
        #expect(resumed == AzureSignInSettings(authMode: .entra, caFile: "/new.pem"))
    }

    @Test func aFlushingLocalWriterStillWritesAndReplaces() throws {
        try withTemporaryDirectory { base in
            let endpoint = LocalEndpoint(root: base, flushesToDisk: true)
            let first = patternData(3 << 20, seed: 5)
            let plan = ObjectWritePlan(sizeBytes: Int64(first.count), blockSizeBytes: 1 << 20)
            let writer = try endpoint.makeWriter(for: "big.bin", plan: plan)
            let blocks = (0..<3).map { BlockRef(index: $0, offset: Int64($0 << 20), length: 1 << 20, layout: 0, id: "b\($0)") }
            for block in blocks {
                _ = try first.withUnsafeBytes { bytes in
                    try writer.stage(block, data: UnsafeRawBufferPointer(rebasing: bytes[Int(block.offset)..<Int(block.offset) + block.length]),
                                     checksums: BlockChecksums(crc64: 0), meter: UnmeteredTransfer())
                }
            }
            try writer.commit(blocks, receipts: [nil, nil, nil], properties: ObjectProperties())
            #expect(FileManager.default.contents(atPath: base + "/big.bin") == first)
            let second = Data("small and new".utf8)
            let whole = try endpoint.makeWriter(for: "big.bin", plan: ObjectWritePlan(sizeBytes: Int64(second.count), blockSizeBytes: 1 << 20))
            try second.withUnsafeBytes { try whole.writeWhole($0, checksums: BlockChecksums(crc64: 0), properties: ObjectProperties(),
                                                              meter: UnmeteredTransfer()) }
            #expect(FileManager.default.contents(atPath: base + "/big.bin") == second)
            #expect(treeContents(base).keys.sorted() == ["big.bin"])
        }
    }
}
