import Foundation
import Testing

/// Runs the built `ferry` binary (`.build/debug/ferry`, built with the tests) and snapshots its
/// help text. Set FERRY_RECORD_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
@Suite struct FerryBinaryTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func binary() throws -> URL {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ferry"),
                          packageRoot.appendingPathComponent(".build/debug/ferry")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "ferry binary (run `swift build` first)"])
        }
        return found
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Outcome {
        try run(executable: try binary(), arguments, environment: extra)
    }

    static func run(executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    static func matchSnapshot(_ name: String, _ text: String) throws {
        let file = snapshots.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["FERRY_RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "help text differs from \(name); rerun with FERRY_RECORD_SNAPSHOTS=1 if intended")
    }

    @Test func rootHelpMatchesSnapshot() throws {
        let outcome = try Self.run(["--help"])
        #expect(outcome.status == 0)
        try Self.matchSnapshot("ferry-help.txt", outcome.stdout)
    }

    @Test func copyHelpMatchesSnapshot() throws {
        let outcome = try Self.run(["copy", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--cap-mbps"))
        try Self.matchSnapshot("copy-help.txt", outcome.stdout)
    }

    @Test(arguments: [["sync"], ["ls"], ["verify"], ["receipt", "write"]])
    func shardingCommandsTeachShardAndMatchSnapshots(_ command: [String]) throws {
        let outcome = try Self.run(command + ["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--shard <I/N|auto>") && outcome.stdout.contains("--shard-count <N>"))
        try Self.matchSnapshot(command.joined(separator: "-") + "-help.txt", outcome.stdout)
    }

    @Test func shardAutoWithoutAnEngineIsAUsageErrorNamingTheVariables() throws {
        let outcome = try Self.run(["ls", "-r", "/tmp", "--shard", "auto"],
                                   environment: ["SLURM_ARRAY_TASK_ID": "", "JOB_COMPLETION_INDEX": "", "RANK": ""])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("SLURM_ARRAY_TASK_ID") && outcome.stderr.contains("JOB_COMPLETION_INDEX"))
        let noCount = try Self.run(["ls", "-r", "/tmp", "--shard", "auto"], environment: ["JOB_COMPLETION_INDEX": "2", "SLURM_ARRAY_TASK_ID": "", "RANK": ""])
        #expect(noCount.status == 64 && noCount.stderr.contains("--shard-count"))
        let badShard = try Self.run(["ls", "-r", "/tmp", "--shard", "4/4"])
        #expect(badShard.status == 64 && badShard.stderr.contains("numbered from 0"))
    }

    @Test func loginStatusHelpMatchesSnapshot() throws {
        let outcome = try Self.run(["login", "status", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--auth <kind>") && outcome.stdout.contains("--ca-file <pem>"))
        try Self.matchSnapshot("login-status-help.txt", outcome.stdout)
    }

    @Test func receiptHelpShowsBothFormsAndMergeHelpMatchesSnapshot() throws {
        let group = try Self.run(["receipt", "--help"])
        #expect(group.status == 0)
        #expect(group.stdout.contains("ferry receipt <target>") && group.stdout.contains("ferry receipt merge <receipt>"))
        try Self.matchSnapshot("receipt-help.txt", group.stdout)
        let merge = try Self.run(["receipt", "merge", "--help"])
        #expect(merge.status == 0 && merge.stdout.contains("-o, --output <file>"))
        try Self.matchSnapshot("receipt-merge-help.txt", merge.stdout)
        // `ferry receipt TARGET --help` still reaches the write form (the default subcommand).
        let write = try Self.run(["receipt", "./corpus", "--help"])
        #expect(write.status == 0 && write.stdout.contains("--read"))
    }

    @Test func receiptOfADirectoryStillWorksWithoutTheWriteSubcommand() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/tree/x.txt", Data("x".utf8))
            let outcome = try Self.run(["receipt", base + "/tree"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("{\"path\":\"x.txt\",\"size\":1,"))
            #expect(outcome.stdout.contains("\"format\":\"ferry-receipt\""))
        }
    }

    @Test func loginStatusSignInProblemsAreOneLine() throws {
        let secret = "Planted-Client-Secret-\(UUID().uuidString)"
        let halfConfigured = try Self.run(["login", "status"], environment: ["AZURE_CLIENT_SECRET": secret, "AZURE_CLIENT_ID": "app",
                                                                           "AZURE_TENANT_ID": ""])
        #expect(halfConfigured.status == 64)
        #expect(halfConfigured.stderr.contains("AZURE_TENANT_ID") && !halfConfigured.stderr.contains(secret))
        #expect(halfConfigured.stderr.split(separator: "\n").count == 1)
        let keyWithoutURL = try Self.run(["login", "status", "--auth", "key"])
        #expect(keyWithoutURL.status == 64 && keyWithoutURL.stderr.contains("needs a URL"))
        // A sign-in that cannot reach its issuer: one line, exit 1 (network), never the secret.
        let unreachable = try Self.run(["login", "status"], environment: [
            "AZURE_CLIENT_SECRET": secret, "AZURE_CLIENT_ID": "app", "AZURE_TENANT_ID": "tenant-a",
            "AZURE_AUTHORITY_HOST": "http://127.0.0.1:9"])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.hasPrefix("error: signing in with service principal app"))
        #expect(!unreachable.stderr.contains(secret) && unreachable.stdout.isEmpty)
    }

    @Test func usageErrorsExit64WithOneLine() throws {
        // Argument-parser errors too: one `error: …` line, nothing on stdout, exit 64.
        for arguments in [["copy", "a", "b", "--no-such-flag"], ["copy", "a", "b", "--block-size-mb", "0"],
                          ["copy", "a", "b", "--overwrite", "sometimes"], ["copy", "/nonexistent-only-one-argument"]] {
            let outcome = try Self.run(arguments)
            #expect(outcome.status == 64, "\(arguments)")
            let lines = outcome.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(lines.count == 1, "\(arguments): \(outcome.stderr)")
            #expect(lines.first?.hasPrefix("error: ") == true, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
        #expect(try Self.run(["copy", "a", "b", "--no-such-flag"]).stderr == "error: unknown option '--no-such-flag'\n")
        let version = try Self.run(["--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty && version.stderr.isEmpty)
        try withTemporaryDirectory { base in
            try writeFile(base + "/src/a.txt", Data("a".utf8))
            let directory = try Self.run(["copy", base + "/src", base + "/dst"], environment: ["FERRY_HOME": base + "/home"])
            #expect(directory.status == 64)
            #expect(directory.stderr.hasPrefix("error: "))
            #expect(directory.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func plantedSecretAppearsInNoOutputAndNoFile() throws {
        try withTemporaryDirectory { base in
            let secret = "PLANTEDSECRET0123456789abcdef"
            try writeFile(base + "/src/a.txt", Data("a".utf8))
            let home = base + "/home"
            let url = "http://127.0.0.1:9/devstoreaccount1/data/x?sv=2024-01-01&sig=\(secret)"
            var outputs: [String] = []
            for arguments in [["copy", base + "/src", url, "--recursive", "--output-type", "json"],
                              ["copy", base + "/src", url, "--recursive"],
                              ["copy", url, base + "/dst", "--recursive", "--log-level", "debug"],
                              ["copy", base + "/src", url, "--recursive", "--dry-run"]] {
                let outcome = try Self.run(arguments, environment: ["FERRY_HOME": home, "AZURE_STORAGE_KEY": secret])
                outputs += [outcome.stdout, outcome.stderr]
            }
            #expect(!outputs.joined().isEmpty)
            for output in outputs { #expect(!output.contains(secret)) }
            for (_, data) in treeContents(home) { #expect(data.range(of: Data(secret.utf8)) == nil) }
        }
    }

    @Test func copiesAndResumesThroughTheBinary() throws {
        try withTemporaryDirectory { base in
            try writeFile(base + "/corpus/a/b.bin", patternData(300_000, seed: 3))
            try writeFile(base + "/corpus/c.txt", Data("c".utf8))
            let home = ["FERRY_HOME": base + "/home"]
            let copy = try Self.run(["copy", base + "/corpus", base + "/out", "--recursive", "--block-size-mb", "0.0625",
                                     "--output-type", "json"], environment: home)
            #expect(copy.status == 0)
            let lines = copy.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("\"type\":\"start\"") == true)
            let end = try #require(lines.last)
            let event = try JSONSerialization.jsonObject(with: Data(end.utf8)) as? [String: Any]
            #expect(event?["type"] as? String == "end")
            #expect(event?["filesDone"] as? Int == 2)
            #expect(event?["bytesDone"] as? Int == 300_001)
            #expect(FileManager.default.contents(atPath: base + "/out/corpus/a/b.bin") == patternData(300_000, seed: 3))
            let list = try Self.run(["jobs", "list"], environment: home)
            #expect(list.stdout.contains("completed"))
            let jobID = try #require(list.stdout.split(separator: " ").first.map(String.init))
            let resume = try Self.run(["jobs", "resume", jobID], environment: home)
            #expect(resume.status == 0)
            #expect(resume.stdout.contains("already complete"))
            let clean = try Self.run(["jobs", "clean", "--all"], environment: home)
            #expect(clean.status == 0)
            #expect(try Self.run(["jobs", "show", jobID], environment: home).status != 0)
        }
    }
}
