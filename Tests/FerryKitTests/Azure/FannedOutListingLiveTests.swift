import Foundation
import Testing
@testable import FerryKit

/// `FannedOutListing` against a real `ferry-emulator`: the same objects, in the same order, as one
/// flat listing of the tree, whatever the tree's shape; failures surface to the caller's retry.
@Suite struct FannedOutListingLiveTests {
    typealias Support = AzureTestSupport

    /// Names chosen where byte order and directories meet: `a-b` sorts before `a/`, `a0` after it;
    /// a name starting with `/` (an empty first segment), `a//b`, NFC and NFD spellings of `é`, a
    /// single-directory chain (`only/one/…`, fanned out level by level), many small directories.
    static let awkwardNames: [String] = {
        var names = ["a-b", "a/x", "a/y/z", "a0", "/lead", "a//b", "top.bin", "caf\u{E9}/1", "cafe\u{301}/1",
                     "only/one/deep/x", "only/one/deep/y/z", "only/one/file", "z"]
        for directory in 0..<12 {
            for file in 0..<(directory % 4 + 1) * 3 { names.append("dir-\(directory)/f\(file)") }
        }
        return names
    }()

    static func paths(_ listing: any ObjectListing) throws -> [String] {
        try Support.collect(listing).map(\.path)
    }

    @Test(arguments: ["", "/root"])
    func sameObjectsInTheSameOrderAsAFlatListing(root: String) throws {
        try withEmulator { emulator in
            try Support.createContainer("c01", on: emulator)
            // Small pages: a directory's listing takes several, and so does the top level's.
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01" + root, listPageSize: 4)
            for (index, name) in Self.awkwardNames.enumerated() {
                try Support.writeWhole(endpoint, name, Data("\(index)".utf8))
            }
            let flat = try Self.paths(try endpoint.list(prefix: "", recursive: true))
            let fanned = try Self.paths(FannedOutListing(endpoint))
            #expect(flat.count == Self.awkwardNames.count)
            #expect(fanned.map { Array($0.utf8) } == flat.map { Array($0.utf8) })
            #expect(Set(fanned.map { Array($0.utf8) }) == Set(Self.awkwardNames.map { Array($0.utf8) }))
            #expect(fanned.contains("/lead") && fanned.contains("a//b"))
            // Sizes and metadata come through as the flat listing's do.
            let sizes = try Support.collect(FannedOutListing(endpoint)).map(\.sizeBytes)
            #expect(sizes == (try Support.collect(try endpoint.list(prefix: "", recursive: true)).map(\.sizeBytes)))
        }
    }

    /// Every third List Blobs refused: a caller that retries `next()` gets the whole listing,
    /// each object once, in order (a failed read-ahead is left for its own call to throw).
    @Test func refusedPagesAreRetriedByTheCaller() throws {
        try withEmulator(arguments: ["--fault", "busy:ops=ListBlobs,rate=0.34", "--fault-seed", "11"]) { emulator in
            try Support.createContainer("c01", on: emulator)
            let endpoint = try Support.endpoint(emulator.accountURL + "/c01", listPageSize: 3)
            for (index, name) in Self.awkwardNames.enumerated() {
                try Support.writeWhole(endpoint, name, Data("\(index)".utf8))
            }
            var listing = FannedOutListing(endpoint)
            var fanned: [String] = []
            var refusals = 0
            while true {
                do {
                    guard let object = try listing.next() else { break }
                    fanned.append(object.path)
                } catch let error as FerryError {
                    #expect(error.disposition == .retry)
                    refusals += 1
                    #expect(refusals < 500, "the listing keeps failing")
                    if refusals >= 500 { return }
                }
            }
            #expect(refusals > 0)
            let sorted = Self.awkwardNames.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(fanned.map { Array($0.utf8) } == sorted)
        }
    }

    @Test func aMissingContainerIsNotFound() throws {
        try withEmulator { emulator in
            let endpoint = try Support.endpoint(emulator.accountURL + "/absent")
            var listing = FannedOutListing(endpoint)
            #expect(throws: FerryError.self) { _ = try listing.next() }
            do {
                _ = try listing.next()
            } catch let error as FerryError {
                #expect(error.code == .notFound)
            }
        }
    }
}
