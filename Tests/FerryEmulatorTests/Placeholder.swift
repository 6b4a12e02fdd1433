import Testing
@testable import FerryEmulator
@Suite struct EmulatorSkeletonTests {
    @Test func versionIsSet() { #expect(!FerryEmulatorVersion.string.isEmpty) }
}
