import CFerryCurlShim

/// libcurl's process-wide setup, done exactly once before the first easy handle is made.
/// A Swift `static let` is initialised lazily under a lock, which gives the "once" for free.
enum CurlGlobal {
    static let initResult: Int = Int(curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)

    static func ensureInitialized() throws {
        if initResult != 0 {
            throw HTTPError(.configuration(curlCode: initResult), message: "libcurl global initialisation failed")
        }
    }
}
