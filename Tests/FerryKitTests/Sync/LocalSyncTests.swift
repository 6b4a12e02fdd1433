import Foundation
import Testing
@testable import FerryKit

/// `ferry sync` through the real engine between two local directories: what is sent, what is
/// kept, what is deleted, and what a safety check refuses. (The live tests do every store.)
@Suite struct LocalSyncTests {
    /// Runs one sync; returns its summary (the store is closed).
    @discardableResult
    func sync(_ base: String, _ sync: SyncOptions = SyncOptions(), filter: (inout TransferOptions) -> Void = { _ in },
              approve: (@Sendable (Int) -> Bool)? = nil) throws -> JobSummary {
        var options = TransferOptions()
        options.sync = sync
        options.concurrency = 4
        filter(&options)
        let setup = try JobSetup.newSync(source: base + "/src", destination: base + "/dst", options: options,
                                         open: { LocalEndpoint(root: $0.original) })
        let store = try setup.createStore(home: FerryHome(path: base + "/home"), commandLine: ["ferry", "sync"])
        defer { store.close() }
        let engine = setup.makeEngine(store: store, options: setup.spec.options, events: nil, cancellation: CancellationFlag())
        engine.approveDeletions = approve
        return engine.run()
    }

    func setTime(_ path: String, _ seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    /// Pairs, not a dictionary: Swift's `String` keys would make the NFC and NFD names one.
    func makeSource(_ base: String) throws -> [(path: String, data: Data)] {
        let files: [(path: String, data: Data)] = [("a.txt", Data("alpha".utf8)), ("sub/b.bin", patternData(70_000, seed: 9)),
                                                   ("caf\u{E9}.txt", Data("nfc".utf8)), ("cafe\u{301}.txt", Data("nfd".utf8))]
        for (path, data) in files { try writeFile(base + "/src/" + path, data) }
        return files
    }

    /// Every file below `root` as (path bytes, contents), in byte order.
    func tree(_ root: String) -> [[UInt8]: Data] {
        var result: [[UInt8]: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[Array(relative.utf8)] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return result
    }

    @Test func sendsNewAndChangedFilesOnlyAndKeepsTimes() throws {
        try withTemporaryDirectory { base in
            let files = try makeSource(base)
            let first = try sync(base)
            #expect(first.state == .completed)
            #expect(first.progress.filesDone == 4)  // the NFC and NFD names are two files
            #expect(tree(base + "/dst") == tree(base + "/src"))
            #expect(tree(base + "/dst").count == 4)
            let sourceTime = try FileManager.default.attributesOfItem(atPath: base + "/src/sub/b.bin")[.modificationDate] as? Date
            let copiedTime = try FileManager.default.attributesOfItem(atPath: base + "/dst/sub/b.bin")[.modificationDate] as? Date
            #expect(abs((sourceTime?.timeIntervalSince1970 ?? 0) - (copiedTime?.timeIntervalSince1970 ?? 1)) < 1e-6)

            let again = try sync(base)
            #expect(again.progress.filesDone == 0)
            #expect(again.progress.filesSkipped == files.count)

            try writeFile(base + "/src/a.txt", Data("ALPHA".utf8))  // same size, new time
            let changed = try sync(base)
            #expect(changed.progress.filesDone == 1)
            #expect(FileManager.default.contents(atPath: base + "/dst/a.txt") == Data("ALPHA".utf8))
        }
    }

    @Test func newTimesWithTheSameBytesSendNothing() throws {
        try withTemporaryDirectory { base in
            let files = try makeSource(base)
            try sync(base)
            for (path, _) in files { try setTime(base + "/src/" + path, 2_000_000_000) }  // a fresh checkout
            let fresh = try sync(base)
            #expect(fresh.progress.filesDone == 0)
            #expect(fresh.progress.filesSkipped == files.count)
            // The check set the copies' times, so the next sync decides from the listing alone.
            let copied = try FileManager.default.attributesOfItem(atPath: base + "/dst/a.txt")[.modificationDate] as? Date
            #expect(copied == Date(timeIntervalSince1970: 2_000_000_000))
        }
    }

    @Test func aSameSizeEditWithItsOldTimeNeedsCompareHash() throws {
        try withTemporaryDirectory { base in
            _ = try makeSource(base)
            try sync(base)
            let time = try #require(try FileManager.default.attributesOfItem(atPath: base + "/src/a.txt")[.modificationDate] as? Date)
            try writeFile(base + "/src/a.txt", Data("omega".utf8))
            try setTime(base + "/src/a.txt", time.timeIntervalSince1970)
            #expect(try sync(base).progress.filesDone == 0)  // size and time agree: not seen
            #expect(FileManager.default.contents(atPath: base + "/dst/a.txt") == Data("alpha".utf8))
            #expect(try sync(base, SyncOptions(comparesHash: true)).progress.filesDone == 1)
            #expect(FileManager.default.contents(atPath: base + "/dst/a.txt") == Data("omega".utf8))
        }
    }

    @Test func deletesOnlyWhenAskedAndOnlyWhatFiltersTake() throws {
        try withTemporaryDirectory { base in
            _ = try makeSource(base)
            try sync(base)
            try writeFile(base + "/dst/extra.txt", Data("x".utf8))
            try writeFile(base + "/dst/keep/notes.md", Data("y".utf8))
            #expect(try sync(base).progress.filesDeleted == 0)
            #expect(FileManager.default.fileExists(atPath: base + "/dst/extra.txt"))

            let pruned = try sync(base, SyncOptions(deletion: .always)) { $0.excludePath = "keep" }
            #expect(pruned.state == .completed)
            #expect(pruned.progress.filesDeleted == 1)
            #expect(!FileManager.default.fileExists(atPath: base + "/dst/extra.txt"))
            #expect(FileManager.default.fileExists(atPath: base + "/dst/keep/notes.md"))  // excluded: never deleted
            #expect(FileManager.default.fileExists(atPath: base + "/dst/caf\u{E9}.txt"))
            #expect(FileManager.default.fileExists(atPath: base + "/dst/cafe\u{301}.txt"))
        }
    }

    @Test func safetyChecksDeleteNothing() throws {
        try withTemporaryDirectory { base in
            _ = try makeSource(base)
            try sync(base)
            for name in ["x1", "x2", "x3"] { try writeFile(base + "/dst/" + name, Data(name.utf8)) }

            let limited = try sync(base, SyncOptions(deletion: .always, maximumDeletes: .count(2)))
            #expect(limited.fatalError?.code == .deletionRefused)
            let percent = try sync(base, SyncOptions(deletion: .always, maximumDeletes: .percent(20)))  // 20 % of 7 = 1
            #expect(percent.fatalError?.code == .deletionRefused)
            let declined = try sync(base, SyncOptions(deletion: .prompt), approve: { count in count == 3 ? false : true })
            #expect(declined.fatalError?.code == .deletionRefused)
            #expect(tree(base + "/dst").count == 7)

            try FileManager.default.removeItem(atPath: base + "/src")
            try FileManager.default.createDirectory(atPath: base + "/src", withIntermediateDirectories: true)
            let empty = try sync(base, SyncOptions(deletion: .always))
            #expect(empty.fatalError?.code == .deletionRefused)
            #expect(tree(base + "/dst").count == 7)

            let approved = try sync(base, SyncOptions(deletion: .prompt), approve: { _ in true })
            #expect(approved.fatalError?.code == .deletionRefused)  // still empty: the approval does not lift it
        }
    }

    @Test func timeFiltersNeverDeleteAFileTheSourceStillHas() throws {
        try withTemporaryDirectory { base in
            _ = try makeSource(base)
            try setTime(base + "/src/a.txt", 1_000_000_000)
            try sync(base)
            // Another tool rewrote the copy: no recorded time, a new Last-Modified.
            try writeFile(base + "/dst/a.txt", Data("alpha".utf8))
            let after = Date(timeIntervalSince1970: 1_500_000_000)
            let run = try sync(base, SyncOptions(deletion: .always)) { $0.includeAfter = after }
            #expect(run.progress.filesDeleted == 0)
            #expect(FileManager.default.fileExists(atPath: base + "/dst/a.txt"))
        }
    }
}
