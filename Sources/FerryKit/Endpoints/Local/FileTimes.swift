#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Gives a written file the source's modification time before it gets its name, so a download
/// keeps the dataset's times and the next sync in either direction finds nothing changed
/// (`SourceTime`). Stateless; safe from any thread.
enum FileTimes {
    /// `UTIME_OMIT` (leave the access time alone), which Swift does not import from the macro.
    private static let omit = (1 << 30) - 2

    static func setModified(_ date: Date?, descriptor: Int32, path: String) throws {
        guard let date else { return }
        var times = [timespec(tv_sec: 0, tv_nsec: omit), timespec(date)]
        guard futimens(descriptor, &times) == 0 else { throw LocalPath.posixError("set the time of", path, errno) }
    }

    static func setModified(_ date: Date, path: String) throws {
        var times = [timespec(tv_sec: 0, tv_nsec: omit), timespec(date)]
        guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw LocalPath.posixError("set the time of", path, errno)
        }
    }
}

private extension timespec {
    init(_ date: Date) {
        let nanos = Int64((date.timeIntervalSince1970 * 1e9).rounded())
        var seconds = nanos / 1_000_000_000
        var fraction = nanos % 1_000_000_000
        if fraction < 0 { seconds -= 1; fraction += 1_000_000_000 }
        self.init(tv_sec: Int(seconds), tv_nsec: Int(fraction))
    }
}
