import Testing
@testable import FerryHTTP
@Suite struct HTTPSkeletonTests {
    @Test func versionIsSet() { #expect(!FerryHTTPVersion.string.isEmpty) }
}
