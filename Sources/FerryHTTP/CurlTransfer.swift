import CFerryCurlShim
import Foundation

/// The state of one transfer that libcurl's callbacks read and write: the request body cursor,
/// the response headers and body, and the progress closure. libcurl calls the callbacks on the
/// thread running `curl_easy_perform`, one at a time, so this needs no lock; it lives only for
/// one `perform` and is reached from C through an unretained pointer kept alive by the caller.
final class CurlTransfer {
    private let requestBody: UnsafeRawBufferPointer
    private var requestBodyOffset = 0
    private let destination: HTTPResponseBodyDestination
    private let progress: (@Sendable (Int) -> Void)?
    private unowned let handle: CurlEasyHandle

    private(set) var headers: [String: String] = [:]
    private(set) var collected = Data()
    private(set) var bytesWrittenToBuffer = 0
    /// Set when the body outgrew its destination; the write callback then stops the transfer.
    private(set) var overflowLimitBytes: Int?
    /// nil until the first body byte; then whether the body goes to the caller's buffer.
    private var bodyGoesToBuffer: Bool?
    /// A `.stream` body gathers here until `stagingBytes` are ready: libcurl hands the write
    /// callback at most 16 KiB at a time (`CURL_MAX_WRITE_SIZE`), and a sink that writes a file
    /// pays a system call and a lock per piece (32 workers writing one file queued on them).
    private let stagingBytes: Int
    private var staging: UnsafeMutableRawBufferPointer?
    private var stagedCount = 0

    init(requestBody: UnsafeRawBufferPointer, destination: HTTPResponseBodyDestination,
         progress: (@Sendable (Int) -> Void)?, handle: CurlEasyHandle, stagingBytes: Int) {
        self.requestBody = requestBody
        self.destination = destination
        self.progress = progress
        self.handle = handle
        self.stagingBytes = stagingBytes
    }

    /// Read callback: hands libcurl the next piece of the request body.
    func fillUpload(_ target: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(target.count, requestBody.count - requestBodyOffset)
        guard count > 0, let source = requestBody.baseAddress, let base = target.baseAddress else { return 0 }
        base.copyMemory(from: source + requestBodyOffset, byteCount: count)
        requestBodyOffset += count
        progress?(count)
        return count
    }

    /// Seek callback: libcurl rewinds when it resends the request on a fresh connection.
    func seekUpload(to offset: Int64, origin: Int32) -> Int32 {
        guard origin == SEEK_SET, offset >= 0, offset <= Int64(requestBody.count) else {
            return Int32(CURL_SEEKFUNC_CANTSEEK)
        }
        requestBodyOffset = Int(offset)
        return Int32(CURL_SEEKFUNC_OK)
    }

    /// Header callback: one raw header line at a time, CRLF included. Parsed on bytes: it runs
    /// for every header of every request, which for a tree of small files is a hot path.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: Self.statusLinePrefix) {
            // A new response starts (after a 1xx interim response): forget earlier headers.
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = Self.trimmed(line[..<colon])
        guard !name.isEmpty else { return }
        let key = String(decoding: name, as: UTF8.self).lowercased()
        let value = String(decoding: Self.trimmed(line[(colon + 1)...]), as: UTF8.self)
        if let earlier = headers[key] {
            headers[key] = earlier + ", " + value
        } else {
            headers[key] = value
        }
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)

    /// Without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }

    /// Write callback: stores a piece of the response body. Returns false to stop the transfer.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if bodyGoesToBuffer == nil {
            let status = handle.info(CURLINFO_RESPONSE_CODE) ?? 0
            switch destination {
            case .buffer, .stream: bodyGoesToBuffer = (200..<300).contains(status)
            case .collect: bodyGoesToBuffer = false
            }
        }
        switch destination {
        case .buffer(let buffer) where bodyGoesToBuffer == true:
            guard bytesWrittenToBuffer + chunk.count <= buffer.count else {
                overflowLimitBytes = buffer.count
                return false
            }
            if let source = chunk.baseAddress, let base = buffer.baseAddress, chunk.count > 0 {
                (base + bytesWrittenToBuffer).copyMemory(from: source, byteCount: chunk.count)
            }
            bytesWrittenToBuffer += chunk.count
            progress?(chunk.count)
            return true
        case .stream(let maxBytes, let sink) where bodyGoesToBuffer == true:
            guard bytesWrittenToBuffer + chunk.count <= maxBytes else {
                overflowLimitBytes = maxBytes
                return false
            }
            bytesWrittenToBuffer += chunk.count
            return stage(chunk, complete: bytesWrittenToBuffer == maxBytes, sink: sink)
        case .buffer, .stream:
            // An error body only has to yield the service's error code: keep its start, drop the rest.
            let room = max(0, HTTPResponse.errorBodyLimitBytes - collected.count)
            collected.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk.prefix(room)))
            return true
        case .collect(let maxBytes):
            return collect(chunk, limitBytes: maxBytes)
        }
    }

    /// Adds a piece of a streamed body to the staging buffer, handing the buffer to `sink` when it
    /// is full or the body is `complete`. False when the sink stops the transfer.
    private func stage(_ chunk: UnsafeRawBufferPointer, complete: Bool, sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        if stagedCount == 0 && (chunk.count >= stagingBytes || complete) {
            progress?(chunk.count)
            return sink(chunk)  // nothing gained by copying it
        }
        let staging = self.staging ?? handle.streamStaging(bytes: stagingBytes)
        self.staging = staging
        var rest = chunk
        while !rest.isEmpty {
            let count = min(rest.count, staging.count - stagedCount)
            (staging.baseAddress! + stagedCount).copyMemory(from: rest.baseAddress!, byteCount: count)
            stagedCount += count
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            if stagedCount == staging.count, !flushStaged(sink) { return false }
        }
        return complete ? flushStaged(sink) : true
    }

    private func flushStaged(_ sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard stagedCount > 0, let staging else { return true }
        let count = stagedCount
        stagedCount = 0
        progress?(count)
        return sink(UnsafeRawBufferPointer(rebasing: staging[0..<count]))
    }

    /// After a successful transfer: hands the sink what is still staged (a body shorter than the
    /// destination's limit). False when the sink refused it.
    func finishStream() -> Bool {
        guard case .stream(_, let sink) = destination, bodyGoesToBuffer == true else { return true }
        return flushStaged(sink)
    }

    private func collect(_ chunk: UnsafeRawBufferPointer, limitBytes: Int) -> Bool {
        guard collected.count + chunk.count <= limitBytes else {
            overflowLimitBytes = limitBytes
            return false
        }
        collected.append(contentsOf: chunk)
        return true
    }
}
