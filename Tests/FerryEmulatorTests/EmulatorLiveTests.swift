import FerryChecksums
import Foundation
import Testing
@testable import FerryEmulator

@Suite(.serialized) struct EmulatorLiveTests {
    @Test func containerAndBlobRoundTrip() async throws {
        try await withEmulator { emulator in
            let health = try await emulator.send("GET", "/__ferry/health", authorized: false)
            #expect(health.status == 200 && health.text == "ok")

            #expect(try await emulator.send("PUT", "/devstoreaccount1/live?restype=container").status == 201)
            let again = try await emulator.send("PUT", "/devstoreaccount1/live?restype=container")
            #expect(again.status == 409)
            #expect(again.header("x-ms-error-code") == "ContainerAlreadyExists")

            let content = Data("hello world".utf8)
            let put = try await emulator.send("PUT", "/devstoreaccount1/live/dir/hello.txt",
                                              headers: ["x-ms-blob-type": "BlockBlob", "x-ms-meta-Color": "blue",
                                                        "Content-Type": "text/plain"], body: content)
            #expect(put.status == 201)
            #expect(put.header("Content-MD5") == "XrY7u+Ae7tCTyyK7j1rNww==")
            #expect(put.header("ETag")?.hasPrefix("\"0x") == true)
            #expect(put.header("x-ms-request-id") != nil)

            let get = try await emulator.send("GET", "/devstoreaccount1/live/dir/hello.txt")
            #expect(get.status == 200 && get.body == content)
            #expect(get.header("Content-Type") == "text/plain")
            #expect(get.header("x-ms-meta-Color") == "blue")

            let ranged = try await emulator.send("GET", "/devstoreaccount1/live/dir/hello.txt",
                                                 headers: ["x-ms-range": "bytes=6-100", "x-ms-range-get-content-crc64": "true"])
            #expect(ranged.status == 206 && ranged.text == "world")
            #expect(ranged.header("Content-Range") == "bytes 6-10/11")
            #expect(ranged.header("x-ms-content-crc64") == CRC64.azureBase64(CRC64.checksum(Data("world".utf8))))

            let beyond = try await emulator.send("GET", "/devstoreaccount1/live/dir/hello.txt", headers: ["x-ms-range": "bytes=11-"])
            #expect(beyond.status == 416)
            #expect(beyond.header("Content-Range") == "bytes */11")

            let stale = try await emulator.send("GET", "/devstoreaccount1/live/dir/hello.txt", headers: ["If-Match": "\"0x1\""])
            #expect(stale.status == 412 && stale.header("x-ms-error-code") == "ConditionNotMet")

            let missing = try await emulator.send("HEAD", "/devstoreaccount1/live/nope")
            #expect(missing.status == 404 && missing.header("x-ms-error-code") == "BlobNotFound")

            let anonymous = try await emulator.send("GET", "/devstoreaccount1/live/dir/hello.txt", authorized: false)
            #expect(anonymous.status == 401 || anonymous.status == 403 || anonymous.status == 404)
        }
    }

    @Test func blocksCommitAndList() async throws {
        try await withEmulator { emulator in
            #expect(try await emulator.send("PUT", "/devstoreaccount1/blocks?restype=container").status == 201)
            let first = Data(repeating: 0x41, count: 1000)
            let second = Data(repeating: 0x42, count: 24)
            let idA = "QUFBQQ=="  // "AAAA"
            let idB = "QkJCQg=="  // "BBBB"
            let stagedA = try await emulator.send("PUT", "/devstoreaccount1/blocks/b.bin?comp=block&blockid=QUFBQQ%3D%3D", body: first)
            #expect(stagedA.status == 201)
            #expect(stagedA.header("x-ms-content-crc64") == CRC64.azureBase64(CRC64.checksum(first)))
            let badMD5 = try await emulator.send("PUT", "/devstoreaccount1/blocks/b.bin?comp=block&blockid=QkJCQg%3D%3D",
                                                 headers: ["Content-MD5": "XrY7u+Ae7tCTyyK7j1rNww=="], body: second)
            #expect(badMD5.status == 400 && badMD5.header("x-ms-error-code") == "Md5Mismatch")
            #expect(try await emulator.send("PUT", "/devstoreaccount1/blocks/b.bin?comp=block&blockid=QkJCQg%3D%3D", body: second).status == 201)
            let otherLength = try await emulator.send("PUT", "/devstoreaccount1/blocks/b.bin?comp=block&blockid=QQ%3D%3D", body: second)
            #expect(otherLength.status == 400 && otherLength.header("x-ms-error-code") == "InvalidBlobOrBlock")

            #expect(try await emulator.send("HEAD", "/devstoreaccount1/blocks/b.bin").status == 404)
            let uncommitted = try await emulator.send("GET", "/devstoreaccount1/blocks/b.bin?comp=blocklist&blocklisttype=uncommitted")
            #expect(uncommitted.status == 200)
            #expect(uncommitted.text.contains("<Name>\(idA)</Name><Size>1000</Size>"))

            let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>\(idB)</Latest><Latest>\(idA)</Latest></BlockList>"
            let commit = try await emulator.send("PUT", "/devstoreaccount1/blocks/b.bin?comp=blocklist", body: Data(xml.utf8))
            #expect(commit.status == 201)
            let content = try await emulator.send("GET", "/devstoreaccount1/blocks/b.bin")
            #expect(content.body == second + first)
            let committed = try await emulator.send("GET", "/devstoreaccount1/blocks/b.bin?comp=blocklist&blocklisttype=all")
            #expect(committed.text.contains("<CommittedBlocks><Block><Name>\(idB)</Name><Size>24</Size></Block>"))
            #expect(committed.text.contains("<UncommittedBlocks></UncommittedBlocks>"))

            let list = try await emulator.send("GET", "/devstoreaccount1/blocks?restype=container&comp=list")
            #expect(list.text.contains("<Name>b.bin</Name>"))
            #expect(list.text.contains("<Content-Length>1024</Content-Length>"))

            let stats = try await emulator.send("GET", "/__ferry/stats", authorized: false)
            #expect(stats.text.contains("\"PutBlock\":4"))
            #expect(stats.text.contains("\"blockId\":\"\(idA)\""))
        }
    }

    @Test func stateSurvivesARestart() async throws {
        let location = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-emulator-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: location) }
        try await withEmulator(location: location) { (emulator: LiveEmulator) async throws in
            #expect(try await emulator.send("PUT", "/devstoreaccount1/keep?restype=container").status == 201)
            #expect(try await emulator.send("PUT", "/devstoreaccount1/keep/a", headers: ["x-ms-blob-type": "BlockBlob"],
                                            body: Data("kept".utf8)).status == 201)
            #expect(try await emulator.send("PUT", "/devstoreaccount1/keep/staged?comp=block&blockid=QUFBQQ%3D%3D",
                                            body: Data("s".utf8)).status == 201)
        }
        try await withEmulator(location: location) { (emulator: LiveEmulator) async throws in
            #expect(try await emulator.send("GET", "/devstoreaccount1/keep/a").text == "kept")
            let staged = try await emulator.send("GET", "/devstoreaccount1/keep/staged?comp=blocklist&blocklisttype=uncommitted")
            #expect(staged.text.contains("<Name>QUFBQQ==</Name><Size>1</Size>"))
        }
    }

    @Test func injectsBusyThroughTheAdminEndpoint() async throws {
        try await withEmulator { emulator in
            let rules = Data(#"{"seed": 3, "rules": ["busy:ops=CreateContainer,count=1,retry-after=2"]}"#.utf8)
            let set = try await emulator.send("PUT", "/__ferry/faults", body: rules, authorized: false)
            #expect(set.status == 200 && set.text.contains("\"seed\":3"))
            let busy = try await emulator.send("PUT", "/devstoreaccount1/faulty?restype=container")
            #expect(busy.status == 503 && busy.header("x-ms-error-code") == "ServerBusy")
            #expect(busy.header("Retry-After") == "2")
            #expect(try await emulator.send("PUT", "/devstoreaccount1/faulty?restype=container").status == 201)
            let bad = try await emulator.send("PUT", "/__ferry/faults", body: Data(#"{"rules": ["nope"]}"#.utf8), authorized: false)
            #expect(bad.status == 400 && bad.text.contains("error"))
        }
    }

    @Test func copiesWithinTheEmulator() async throws {
        try await withEmulator { emulator in
            #expect(try await emulator.send("PUT", "/devstoreaccount1/copies?restype=container").status == 201)
            let content = Data((0..<5000).map { UInt8($0 % 251) })
            #expect(try await emulator.send("PUT", "/devstoreaccount1/copies/src", headers: ["x-ms-blob-type": "BlockBlob"],
                                            body: content).status == 201)
            let source = "http://127.0.0.1:\(emulator.port)/devstoreaccount1/copies/src"
            let copy = try await emulator.send("PUT", "/devstoreaccount1/copies/copy", headers: ["x-ms-copy-source": source])
            #expect(copy.status == 202 && copy.header("x-ms-copy-status") == "success")
            #expect(try await emulator.send("GET", "/devstoreaccount1/copies/copy").body == content)
            let ranged = try await emulator.send("PUT", "/devstoreaccount1/copies/part?comp=block&blockid=QUFBQQ%3D%3D",
                                                 headers: ["x-ms-copy-source": source, "x-ms-source-range": "bytes=100-199",
                                                           "x-ms-copy-source-authorization": "Bearer \(LiveEmulator.token)"])
            #expect(ranged.status == 201)
            let unauthorized = try await emulator.send("PUT", "/devstoreaccount1/copies/part?comp=block&blockid=QkJCQg%3D%3D",
                                                       headers: ["x-ms-copy-source": source])
            #expect(unauthorized.header("x-ms-error-code") == "CannotVerifyCopySource")
            let xml = "<BlockList><Latest>QUFBQQ==</Latest></BlockList>"
            #expect(try await emulator.send("PUT", "/devstoreaccount1/copies/part?comp=blocklist", body: Data(xml.utf8)).status == 201)
            #expect(try await emulator.send("GET", "/devstoreaccount1/copies/part").body == content[100..<200])
        }
    }
}
