import Foundation
import Testing
@testable import FerryKit

/// `ferry copy` to a container that does not exist creates it (as rclone does) once per run.
@Suite struct AzureDestinationContainerLiveTests {
    typealias Support = AzureTestSupport

    @Test func prepareDestinationCreatesAMissingContainerAndAcceptsAnExistingOne() throws {
        try withEmulator { emulator in
            let endpoint = try Support.endpoint(emulator.accountURL + "/brand-new/prefix")
            #expect(throws: FerryError.self) { try Support.writeWhole(endpoint, "before.txt", Data("x".utf8)) }
            try endpoint.prepareDestination()
            try endpoint.prepareDestination()  // 409 ContainerAlreadyExists is not an error
            try Support.writeWhole(endpoint, "after.txt", Data("y".utf8))
            #expect(try endpoint.stat("after.txt")?.sizeBytes == 1)
        }
    }

    @Test func refusedCreationIsLeftToTheWrites() throws {
        try withEmulator { emulator in
            // No credential at all: the service refuses Create Container; that is not thrown here.
            let anonymous = try Support.endpoint(emulator.accountURL + "/no-rights", environment: [:])
            try anonymous.prepareDestination()
            let owner = try Support.endpoint(emulator.accountURL + "/no-rights")
            // …and it really was refused: the container still does not exist.
            #expect(throws: FerryError.self) { try Support.writeWhole(owner, "x.txt", Data("z".utf8)) }
        }
    }

    @Test func copyIntoAMissingContainerCreatesIt() throws {
        try withEmulator { emulator in
            try withTemporaryDirectory { base in
                try writeFile(base + "/corpus/a.txt", Data("alpha".utf8))
                try writeFile(base + "/corpus/sub/b.bin", patternData(300_000, seed: 4))
                var options = TransferOptions()
                options.recursive = true
                options.blockSizeBytes = 64 << 10
                let destination = emulator.accountURL + "/created-by-copy"
                let (summary, store) = try runLocalCopy(source: base + "/corpus", destination: destination, options: options,
                                                        home: FerryHome(path: base + "/home")) { location in
                    location.kind == .remote ? try Support.endpoint(location.original) as any Endpoint : LocalEndpoint(root: location.original)
                }
                store.close()
                #expect(summary.state == .completed)
                let endpoint = try Support.endpoint(destination)
                #expect(try Support.readAll(endpoint, "corpus/a.txt", size: 5) == Data("alpha".utf8))
                #expect(try endpoint.stat("corpus/sub/b.bin")?.sizeBytes == 300_000)
            }
        }
    }
}
