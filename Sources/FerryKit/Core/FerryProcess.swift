import CFerryFileIO
import Foundation

/// Process-wide settings the front end applies once, before any thread starts.
public enum FerryProcess {
    /// glibc gives each thread that allocates an arena of its own (up to 8 per core); with dozens
    /// of workers and listing threads that doubled a 50,000-file sync's peak memory (151 → 78 MiB).
    /// One arena per four cores (at least two) keeps it flat; the hot paths allocate little (block
    /// buffers are pooled), so threads seldom wait for an arena.
    public static func limitMemoryArenas() {
        _ = ferry_limit_malloc_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount / 4)))
    }
}
