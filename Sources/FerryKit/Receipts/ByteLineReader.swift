#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a file (or standard input for `-`) as `\n`-separated lines of bytes through one fixed
/// 2 MiB buffer: memory stays flat whatever the file's size. A line longer than
/// `maximumLineBytes` is an error. Not thread-safe: one consumer. Frees the buffer and closes the
/// file in `deinit`.
final class ByteLineReader {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEnd = false
    static let maximumLineBytes = 1 << 20

    init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            ownsDescriptor = true
            guard descriptor >= 0 else {
                throw FerryError(.usage, "cannot read receipt '\(path)': \(String(cString: strerror(errno)))", disposition: .abortJob)
            }
        }
        buffer = .allocate(byteCount: 2 * Self.maximumLineBytes, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line without its `\n` (a last line without one counts too), or nil at the end.
    func nextLine() throws -> Data? {
        var searched = start
        while true {
            if searched < end, let found = memchr(buffer.baseAddress! + searched, Int32(UInt8(ascii: "\n")), end - searched) {
                let newline = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(found))
                let line = Data(bytes: buffer.baseAddress! + start, count: newline - start)
                start = newline + 1
                return line
            }
            searched = end
            if atEnd {
                guard start < end else { return nil }
                let line = Data(bytes: buffer.baseAddress! + start, count: end - start)
                start = end
                return line
            }
            guard end - start <= Self.maximumLineBytes else {
                throw FerryError(.usage, "receipt '\(path)' has a line longer than \(Self.maximumLineBytes) bytes", disposition: .abortJob)
            }
            let shift = start
            try fill()
            searched -= shift
        }
    }

    /// Moves the unconsumed bytes to the front and reads as much as fits after them.
    private func fill() throws {
        if start > 0 {
            if end > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start) }
            end -= start
            start = 0
        }
        var got = 0
        repeat {
            got = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
        } while got < 0 && errno == EINTR
        guard got >= 0 else {
            throw FerryError(.usage, "cannot read receipt '\(path)': \(String(cString: strerror(errno)))", disposition: .abortJob)
        }
        end += got
        if got == 0 { atEnd = true }
    }
}
