import CFerryCurlShim
import Foundation

/// Owns one libcurl easy handle (and with it one keep-alive connection cache) and its error
/// buffer; frees both in `deinit`. Every CURLcode becomes a thrown `HTTPError`.
/// Not thread-safe: one transfer at a time, which `CurlHandlePool` guarantees.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    /// libcurl writes a readable reason here on failure; it must outlive the handle's use of it.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Where a streamed body's pieces gather before they go to the sink (`CurlTransfer`);
    /// allocated at the first streamed response, then reused by every transfer on this handle.
    private var streamStaging: UnsafeMutableRawBufferPointer?

    init() throws {
        try CurlGlobal.ensureInitialized()
        guard let raw = curl_easy_init() else {
            throw HTTPError(.configuration(curlCode: Int(CURLE_FAILED_INIT.rawValue)), message: "curl_easy_init failed")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
        streamStaging?.deallocate()
    }

    /// The staging buffer, `bytes` long (a different size replaces it).
    func streamStaging(bytes: Int) -> UnsafeMutableRawBufferPointer {
        if let streamStaging, streamStaging.count == bytes { return streamStaging }
        streamStaging?.deallocate()
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
        streamStaging = staging
        return staging
    }

    /// Forgets every option of the previous transfer but keeps live connections, the DNS cache and
    /// TLS session IDs, so the next request reuses the connection.
    func reset() throws {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
        try check(ferry_curl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer), setting: "CURLOPT_ERRORBUFFER")
    }

    func set(_ option: CURLoption, _ value: Int, _ name: String) throws {
        try check(ferry_curl_easy_setopt_long(raw, option, value), setting: name)
    }

    func set(_ option: CURLoption, offset value: Int64, _ name: String) throws {
        try check(ferry_curl_easy_setopt_off_t(raw, option, curl_off_t(value)), setting: name)
    }

    func set(_ option: CURLoption, string value: String, _ name: String) throws {
        // libcurl copies string options, so the temporary C string may die after the call.
        try check(value.withCString { ferry_curl_easy_setopt_string(raw, option, $0) }, setting: name)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?, _ name: String) throws {
        try check(ferry_curl_easy_setopt_pointer(raw, option, value), setting: name)
    }

    func set(_ option: CURLoption, dataCallback: ferry_curl_data_callback, _ name: String) throws {
        try check(ferry_curl_easy_setopt_data_callback(raw, option, dataCallback), setting: name)
    }

    func set(_ option: CURLoption, seekCallback: ferry_curl_seek_callback, _ name: String) throws {
        try check(ferry_curl_easy_setopt_seek_callback(raw, option, seekCallback), setting: name)
    }

    func info(_ info: CURLINFO) -> Int? {
        var value = 0
        guard ferry_curl_easy_getinfo_long(raw, info, &value) == CURLE_OK else { return nil }
        return value
    }

    /// Runs the configured transfer on the calling thread (blocking).
    func perform() throws {
        let code = curl_easy_perform(raw)
        guard code != CURLE_OK else { return }
        throw HTTPError(.transport(curlCode: Int(code.rawValue)), message: failureMessage(code))
    }

    private func check(_ code: CURLcode, setting: String) throws {
        guard code != CURLE_OK else { return }
        throw HTTPError(.configuration(curlCode: Int(code.rawValue)), message: "\(setting): \(failureMessage(code))")
    }

    private func failureMessage(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
