import FerryChecksums
import Foundation
import Testing
@testable import FerryKit

/// Copies through the real engine (`JobSetup` → `TransferEngine`): a local tree up to the
/// endpoint under test and back down, compared byte for byte.
extension EndpointConformanceTests {
    /// Stands for the endpoint under test in the job's locations; the opener hands that endpoint
    /// out for it, so the job runs exactly as `ferry copy` would with a URL.
    static let endpointUnderTestURL = "http://127.0.0.1:9/conformance/under-test"

    static func corpus(blockSizeBytes: Int) -> [String: Data] {
        ["small.txt": patternData(100, seed: 31),
         "empty.bin": Data(),
         "nested/deeper/b c+d.bin": patternData(3000, seed: 32),
         "\u{00FC}/\u{65E5}\u{672C}.bin": patternData(1024, seed: 33),
         "big.bin": patternData(blockSizeBytes * 2 + 333, seed: 34)]
    }

    @Test(arguments: ConformanceTarget.allCases)
    func copyLocalToEndpointAndBackThroughTheEngine(_ target: ConformanceTarget) throws {
        try target.withEndpoint { endpoint in
            try withTemporaryDirectory { base in
                let blockSize = EndpointCalls.blockSize(for: endpoint, atLeast: 256 << 10)
                let corpus = Self.corpus(blockSizeBytes: blockSize)
                for (path, data) in corpus { try writeFile(base + "/corpus/" + path, data) }
                var options = TransferOptions()
                options.recursive = true
                options.blockSizeBytes = blockSize
                options.concurrency = 4
                let home = FerryHome(path: base + "/home")
                let open: EndpointOpener = { location in
                    location.original.hasPrefix(Self.endpointUnderTestURL) ? endpoint : LocalEndpoint(root: location.original)
                }

                let (up, upStore) = try runLocalCopy(source: base + "/corpus/*", destination: Self.endpointUnderTestURL + "/",
                                                     options: options, home: home, open: open)
                upStore.close()
                #expect(up.state == .completed, "upload: \(String(describing: up.fatalError))")
                #expect(up.progress.filesDone == corpus.count)
                let listed = try EndpointCalls.list(endpoint)
                #expect(listed.map(\.path) == Self.byteOrder(Array(corpus.keys)))
                for object in listed {
                    let expected = try #require(corpus[object.path])
                    #expect(object.sizeBytes == Int64(expected.count), "size of \(object.path)")
                    if Self.keepsProperties(endpoint) {
                        #expect(try endpoint.stat(object.path)?.crc64 == CRC64.checksum(expected), "crc64 of \(object.path)")
                    }
                }

                let (down, downStore) = try runLocalCopy(source: Self.endpointUnderTestURL + "/*", destination: base + "/out/",
                                                         options: options, home: home, open: open)
                downStore.close()
                #expect(down.state == .completed, "download: \(String(describing: down.fatalError))")
                #expect(down.progress.filesDone == corpus.count)
                // Exactly the corpus: same bytes, nothing missing, no temporary file left behind.
                let copied = treeContents(base + "/out")
                #expect(copied.keys.sorted() == corpus.keys.sorted())
                for (path, data) in corpus { #expect(copied[path] == data, "content of \(path)") }
            }
        }
    }
}
