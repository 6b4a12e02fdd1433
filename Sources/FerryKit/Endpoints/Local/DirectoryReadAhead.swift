import Foundation

/// The next directory of a local walk, read (readdir, fstatat per entry, sort) on another thread
/// while the walker still hands out the files of the current one. The per-file `fstatat` was a
/// third of a 200,000-file no-op sync's enumerator thread — the thread that decides how long a
/// sync takes — and the machine's other core was not always busy.
///
/// One directory ahead at most (memory: two directories' entry lists). A read the walker never
/// asks for is dropped; a failed read is kept and thrown when the walker reaches that directory,
/// as a read done then would. Thread-safe (hence `@unchecked Sendable`).
final class DirectoryReadAhead: @unchecked Sendable {
    private let condition = NSCondition()
    private var path: String?
    private var result: Result<[LocalDirectoryListing.Entry], Error>?
    private static let queue = DispatchQueue(label: "ferry.local-read-ahead", qos: .userInitiated)

    /// Starts reading `path` (replacing any read not collected).
    func start(_ path: String) {
        condition.lock()
        self.path = path
        result = nil
        condition.unlock()
        Self.queue.async { [self] in
            let read = Result { try LocalDirectoryListing.readSortedEntries(path) }
            condition.lock()
            if let started = self.path, NameOrder.same(started, path) { result = read }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The entries of `path`: the read started for it (waiting for it to finish), else read now.
    func entries(of path: String) throws -> [LocalDirectoryListing.Entry] {
        condition.lock()
        // Paths are bytes: an NFC and an NFD spelling of one name are two directories.
        guard let started = self.path, NameOrder.same(started, path) else {
            condition.unlock()
            return try LocalDirectoryListing.readSortedEntries(path)
        }
        while result == nil { condition.wait() }
        let read = result!
        self.path = nil
        result = nil
        condition.unlock()
        return try read.get()
    }
}
