import Foundation
import Testing

/// The shell completions shipped in `Completions/` must be what the built binaries generate
/// today; regenerate them with `scripts/generate-completions` after changing a command or option.
@Suite struct CompletionScriptTests {
    static let completions = FerryBinaryTests.packageRoot.appendingPathComponent("Completions")
    static let shells = [("bash", "%@.bash"), ("zsh", "_%@"), ("fish", "%@.fish")]

    static func check(binary: URL, name: String) throws {
        for (shell, pattern) in shells {
            let outcome = try FerryBinaryTests.run(executable: binary, ["--generate-completion-script", shell])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains(name))
            let file = completions.appendingPathComponent(String(format: pattern, name))
            let shipped = try String(contentsOf: file, encoding: .utf8)
            #expect(outcome.stdout == shipped, "\(file.lastPathComponent) is out of date: run scripts/generate-completions")
        }
    }

    @Test func ferryCompletionsAreUpToDate() throws {
        try Self.check(binary: try FerryBinaryTests.binary(), name: "ferry")
    }

    @Test func emulatorCompletionsAreUpToDate() throws {
        try Self.check(binary: URL(fileURLWithPath: try EmulatorProcess.binaryPath()), name: "ferry-emulator")
    }
}
