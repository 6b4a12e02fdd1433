import Foundation
import Testing
@testable import FerryKit

@Suite struct ResumeTests {
    static let blockSize = 64 << 10

    @Test func resumedJobDoesNotReadAcknowledgedBlocksAgain() throws {
        try withTemporaryDirectory { base in
            let content = patternData(Self.blockSize * 10 + 500, seed: 77)
            try writeFile(base + "/src/checkpoint.bin", content)
            let home = FerryHome(path: base + "/home")
            var options = TransferOptions()
            options.blockSizeBytes = Self.blockSize
            options.concurrency = 1
            // First run: the destination stops accepting at block 4 with an error that stops the job.
            let expired = FerryError(.authenticationFailed, "token expired", disposition: .abortJob)
            let failingDestination = InstrumentedEndpoint(LocalEndpoint(root: base + "/dst/model.bin"))
            failingDestination.failStage = (4, expired)
            let firstSetup = try JobSetup.newCopy(source: base + "/src/checkpoint.bin", destination: base + "/dst/model.bin",
                                                  options: options) { location in
                location.original.hasSuffix("model.bin") ? failingDestination as any Endpoint : LocalEndpoint(root: location.original)
            }
            let store = try firstSetup.createStore(home: home, commandLine: ["ferry"])
            let first = firstSetup.makeEngine(store: store, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(first.state == .failed)
            #expect(first.fatalError?.code == .authenticationFailed)
            #expect(!FileManager.default.fileExists(atPath: base + "/dst/model.bin"))
            let files = try store.files(state: nil, afterID: 0, limit: 10)
            let done = try store.doneBlocks(fileID: files[0].id)
            #expect(Set(done.keys) == Set(0..<4))
            let jobID = store.job.id
            store.close()

            // Resume: a counting source; blocks 0..3 must not be read again.
            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
            defer { reopened.close() }
            let countingSource = InstrumentedEndpoint(LocalEndpoint(root: base + "/src/checkpoint.bin"))
            let setup = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) { location in
                location.original.hasSuffix("checkpoint.bin") ? countingSource as any Endpoint : LocalEndpoint(root: location.original)
            }
            let second = setup.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(second.state == .completed)
            #expect(FileManager.default.contents(atPath: base + "/dst/model.bin") == content)
            let readOffsets = countingSource.reads.map(\.1.lowerBound)
            #expect(!readOffsets.isEmpty)
            #expect(readOffsets.allSatisfy { $0 >= Int64(4 * Self.blockSize) })
            #expect(readOffsets.count == 7)  // blocks 4...10
            #expect(treeContents(base + "/dst").keys.sorted() == ["model.bin"])  // no partial left
        }
    }

    @Test func cancelledJobResumesToIdenticalTree() throws {
        try withTemporaryDirectory { base in
            var expected: [String: Data] = [:]
            for index in 0..<40 {
                let data = patternData(index * 3000, seed: UInt64(index))
                expected["corpus/f\(index).bin"] = data
                try writeFile(base + "/corpus/f\(index).bin", data)
            }
            let home = FerryHome(path: base + "/home")
            var options = TransferOptions()
            options.recursive = true
            options.blockSizeBytes = Self.blockSize
            options.concurrency = 2
            let cancellation = CancellationFlag()
            cancellation.cancel()  // cancelled before any work: everything stays pending
            let (first, store) = try runLocalCopy(source: base + "/corpus", destination: base + "/dst", options: options,
                                                  home: home, cancellation: cancellation)
            #expect(first.state == .cancelled)
            let jobID = store.job.id
            store.close()
            let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
            defer { reopened.close() }
            let setup = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) {
                LocalEndpoint(root: $0.original)
            }
            let second = setup.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
            #expect(second.state == .completed)
            #expect(treeContents(base + "/dst") == expected)
            #expect(try reopened.totals().doneFiles == 40)
        }
    }
}
