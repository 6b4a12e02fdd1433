import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// A block upload that stops half way and is resumed by a new engine from the job database:
/// only the blocks the store does not hold yet are read and sent again.
extension EndpointConformanceTests {
    @Test(arguments: ConformanceTarget.allCases)
    func resumedUploadSendsOnlyTheMissingBlocks(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            try withTemporaryDirectory { base in
                let blockSize = EndpointCalls.blockSize(for: endpoint)
                let content = patternData(blockSize * 2 + 100, seed: 41)
                try writeFile(base + "/src/m.bin", content)
                var options = TransferOptions()
                options.blockSizeBytes = blockSize
                options.concurrency = 1
                let home = FerryHome(path: base + "/home")

                // First run: block 0 is acknowledged, then the credential "expires".
                let failing = InstrumentedEndpoint(endpoint)
                failing.failStage = (1, FerryError(.authenticationFailed, "expired", disposition: .abortJob))
                let (first, store) = try runLocalCopy(source: base + "/src/m.bin", destination: Self.endpointUnderTestURL + "/",
                                                      options: options, home: home, open: { location in
                    location.original.hasPrefix(Self.endpointUnderTestURL) ? failing as any Endpoint : LocalEndpoint(root: location.original)
                })
                #expect(first.state == .failed)
                #expect(try endpoint.stat("m.bin") == nil)
                let jobID = store.job.id
                store.close()

                // Second run, from the job database, with a source that counts what it is asked for.
                let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
                defer { reopened.close() }
                let counting = InstrumentedEndpoint(LocalEndpoint(root: base + "/src/m.bin"))
                let resumed = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) { location in
                    location.original.hasPrefix(Self.endpointUnderTestURL) ? endpoint : counting
                }
                let second = resumed.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
                #expect(second.state == .completed, "resume: \(String(describing: second.fatalError))")
                #expect(try EndpointCalls.readAll(endpoint, "m.bin") == content)
                if Self.keepsProperties(endpoint) { #expect(try endpoint.stat("m.bin")?.crc64 == CRC64.checksum(content)) }
                let readOffsets = counting.reads.map(\.1.lowerBound).sorted()
                #expect(readOffsets == [Int64(blockSize), Int64(blockSize * 2)], "only the missing blocks are read again")
            }
        }
    }
}
