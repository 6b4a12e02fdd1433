import Testing
@testable import FerryEmulator

@Suite struct RequestRouterTests {
    private func operation(_ method: String, _ path: String, _ query: String = "") throws -> EmulatorOperation {
        try RequestRouter.route(method: method, rawPath: path, rawQuery: query).operation
    }

    @Test func routesContainerOperations() throws {
        #expect(try operation("PUT", "/acct/cont", "restype=container") == .createContainer)
        #expect(try operation("HEAD", "/acct/cont", "restype=container") == .getContainerProperties)
        #expect(try operation("DELETE", "/acct/cont", "restype=container") == .deleteContainer)
        #expect(try operation("PUT", "/acct/cont", "restype=container&comp=metadata") == .setContainerMetadata)
        #expect(try operation("GET", "/acct/cont", "restype=container&comp=list&prefix=a") == .listBlobs)
        #expect(try operation("GET", "/acct", "comp=list") == .listContainers)
        #expect(try operation("GET", "/acct/", "restype=account&comp=properties") == .getAccountInfo)
    }

    @Test func routesBlobOperations() throws {
        #expect(try operation("PUT", "/acct/cont/a/b.bin") == .putBlob)
        #expect(try operation("PUT", "/acct/cont/b", "comp=block&blockid=QUFBQQ%3D%3D") == .putBlock)
        #expect(try operation("PUT", "/acct/cont/b", "comp=blocklist") == .putBlockList)
        #expect(try operation("GET", "/acct/cont/b", "comp=blocklist&blocklisttype=all") == .getBlockList)
        #expect(try operation("GET", "/acct/cont/b") == .getBlob)
        #expect(try operation("HEAD", "/acct/cont/b") == .getBlobProperties)
        #expect(try operation("DELETE", "/acct/cont/b") == .deleteBlob)
        #expect(try operation("PUT", "/acct/cont/b", "comp=metadata") == .setBlobMetadata)
        #expect(try operation("PUT", "/acct/cont/b", "comp=properties") == .setBlobProperties)
    }

    @Test func decodesBlobNamesAndQueryValues() throws {
        let route = try RequestRouter.route(method: "PUT", rawPath: "/acct/cont/dir%20x/%C3%BC+b.bin",
                                            rawQuery: "comp=block&blockid=QUFBQQ%3D%3D&prefix=sub+dir%2F")
        #expect(route.account == "acct")
        #expect(route.container == "cont")
        #expect(route.blob == "dir x/ü+b.bin")  // '+' in a path is a plus
        #expect(route.query["blockid"] == "QUFBQQ==")
        #expect(route.query["prefix"] == "sub dir/")  // '+' in a query is a space
    }

    /// Names keep their bytes (NFD stays NFD), and the path splits on `/` bytes even where a
    /// combining mark follows the slash (one Character, so a Character search would miss it).
    @Test func splitsPathsOnSlashBytes() throws {
        let nfd = try RequestRouter.splitPath("/acct/cont/cafe%CC%81.txt")
        #expect(nfd.blob.map { Array($0.utf8) } == Array("cafe\u{301}.txt".utf8))
        let raw = try RequestRouter.splitPath("/acct/cont/\u{301}x")
        #expect(raw.container == "cont")
        #expect(raw.blob.map { Array($0.utf8) } == Array("\u{301}x".utf8))
    }

    @Test func rejectsBadContainerNamesAndUnknownOperations() {
        #expect(throws: ServiceError.self) { try operation("PUT", "/acct/Upper", "restype=container") }
        #expect(throws: ServiceError.self) { try operation("PUT", "/acct/a--b", "restype=container") }
        #expect(throws: ServiceError.self) { try operation("PUT", "/acct/ab", "restype=container") }
        #expect(throws: ServiceError.self) { try operation("PUT", "/acct/cont/b", "comp=lease") }
        do {
            _ = try operation("POST", "/acct/cont/b")
            Issue.record("POST should not route")
        } catch {
            #expect((error as? ServiceError)?.status == 501)
        }
    }
}
