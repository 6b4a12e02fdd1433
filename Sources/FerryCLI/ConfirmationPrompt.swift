#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Asks a yes/no question on the terminal (`ferry rm -r`). Blocking; stateless.
enum ConfirmationPrompt {
    enum Answer: Sendable { case yes, no, noTerminal }

    /// `.yes` only for `y` or `yes` typed on a terminal; `.noTerminal` when stdin is not one
    /// (a script never deletes recursively without `--force`).
    static func ask(_ question: String) -> Answer {
        guard isatty(STDIN_FILENO) == 1 else { return .noTerminal }
        FileHandle.standardError.write(Data(question.utf8))
        guard let answer = readLine() else { return .no }
        let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
        return word == "y" || word == "yes" ? .yes : .no
    }
}
