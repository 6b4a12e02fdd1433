/// The local paths a download has handed out so far, to refuse the names that would clash with
/// them: a name that is a file where another name needs a directory (`a/b` and `a/b/c`, in either
/// order), and a second name for a path already claimed. The first name keeps its path; the later
/// one is refused. Paths are hashed as UTF-8 bytes (never `String` equality, under which NFC and NFD
/// spellings are equal), one 64-bit hash per file and per directory: about 16 bytes an entry.
///
/// Not thread-safe: owned by the one enumerator thread.
struct LocalNameClaims {
    private var files = Set<Int>()
    private var directories = Set<Int>()

    /// Claims `path` (a destination-relative path that passed `LocalNameRules`), or throws
    /// `.unsafeName` naming it and the clash.
    mutating func claim(_ path: String) throws {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { return }
        let whole = Self.hash(bytes[...])
        if files.contains(whole) {
            throw LocalNameRules.refusal("another remote name already maps to this local path")
        }
        if directories.contains(whole) {
            throw LocalNameRules.refusal("it is also a directory (other names continue with '\(PrintableName.of(path))/')")
        }
        var ancestors: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") {
            let ancestor = Self.hash(bytes[..<index])
            if files.contains(ancestor) {
                let name = String(decoding: bytes[..<index], as: UTF8.self)
                throw LocalNameRules.refusal("'\(PrintableName.of(name))' is a file, so it cannot also be a directory")
            }
            ancestors.append(ancestor)
        }
        files.insert(whole)
        directories.formUnion(ancestors)
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}
