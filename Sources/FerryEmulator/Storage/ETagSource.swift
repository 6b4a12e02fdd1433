import Foundation
import Synchronization

/// Issues strictly increasing ETags shaped like the service's (`0x8DC…`, .NET ticks in hex), so
/// every write gets a new one even within the same tick. Thread-safe (`Mutex`).
final class ETagSource: Sendable {
    private let last = Mutex<UInt64>(0)

    /// A fresh unquoted ETag for a write made at `date`.
    func next(at date: Date) -> String {
        let ticks = UInt64((date.timeIntervalSince1970 + 62_135_596_800) * 10_000_000)
        let value = last.withLock { last -> UInt64 in
            last = max(last + 1, ticks)
            return last
        }
        return "0x" + String(value, radix: 16, uppercase: true)
    }
}
