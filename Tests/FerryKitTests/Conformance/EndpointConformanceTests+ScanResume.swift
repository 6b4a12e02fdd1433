import Foundation
import Testing
@testable import FerryKit

/// A download stopped while the engine was still listing the source, then resumed from the job
/// database: the resumed scan relies on the listing order to skip what was already recorded, so
/// every object must still arrive exactly once.
extension EndpointConformanceTests {
    /// More files under `dir/` than one enumeration batch, and neighbours on both sides of it.
    static func scanCorpus() -> [String: Data] {
        var corpus: [String: Data] = ["a.bin": Data("a".utf8), "dir-x.bin": Data("dir-x".utf8), "z.bin": Data("z".utf8)]
        for index in 0..<(TransferEngine.enumerationBatch + 40) {
            corpus["dir/" + String(format: "%04d", index) + ".bin"] = Data("file \(index)".utf8)
        }
        return corpus
    }

    @Test(arguments: ConformanceTarget.allCases)
    func downloadStoppedDuringTheScanResumesWithEveryObject(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            try withTemporaryDirectory { base in
                let corpus = Self.scanCorpus()
                let entries = Array(corpus)
                let failures = ConcurrentResults()
                DispatchQueue.concurrentPerform(iterations: 8) { lane in
                    for position in stride(from: lane, to: entries.count, by: 8) {
                        do { try EndpointCalls.put(endpoint, entries[position].key, entries[position].value) } catch { failures.record(error) }
                    }
                }
                _ = try failures.receipts()

                var options = TransferOptions()
                options.recursive = true
                options.concurrency = 2
                let home = FerryHome(path: base + "/home")
                let cancellation = CancellationFlag()
                // Stops right after the first batch of the scan was recorded.
                let interrupted = InterruptedListingEndpoint(inner: endpoint, cancelBeforeEntry: TransferEngine.enumerationBatch + 1,
                                                             cancellation: cancellation)
                let (first, store) = try runLocalCopy(source: Self.endpointUnderTestURL + "/*", destination: base + "/out/",
                                                      options: options, home: home, open: { location in
                    location.original.hasPrefix(Self.endpointUnderTestURL) ? interrupted as any Endpoint : LocalEndpoint(root: location.original)
                }, cancellation: cancellation)
                #expect(first.state == .cancelled)
                let jobID = store.job.id
                store.close()

                let reopened = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
                defer { reopened.close() }
                let resumed = try JobSetup.resume(job: reopened.job, sourceOverride: nil, destinationOverride: nil) { location in
                    location.original.hasPrefix(Self.endpointUnderTestURL) ? endpoint : LocalEndpoint(root: location.original)
                }
                let second = resumed.makeEngine(store: reopened, options: options, events: nil, cancellation: CancellationFlag()).run()
                #expect(second.state == .completed, "resume: \(String(describing: second.fatalError))")
                let copied = treeContents(base + "/out")
                let missing = Set(corpus.keys).subtracting(copied.keys).sorted()
                #expect(missing == [], "a resumed scan must not depend on the store's listing order")
                #expect(Set(copied.keys).subtracting(corpus.keys).isEmpty)
                for (path, data) in copied { #expect(corpus[path] == data, "content of \(path)") }
            }
        }
    }
}
