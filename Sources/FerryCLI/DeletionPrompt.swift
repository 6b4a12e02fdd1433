#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `--delete-destination prompt`: asks once on the terminal (`/dev/tty`, so piped output and
/// `--output-type json` stay clean). Without a terminal the answer is no: nothing is deleted.
enum DeletionPrompt {
    @Sendable static func ask(count: Int) -> Bool {
        guard let tty = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(tty) }
        fputs("Delete \(count) destination object(s) the source no longer has? [y/N] ", tty)
        fflush(tty)
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), tty) != nil else { return false }
        let answer = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return answer == "y" || answer == "yes"
    }
}
