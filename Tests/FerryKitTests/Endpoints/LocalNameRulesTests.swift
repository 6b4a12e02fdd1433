import Testing
@testable import FerryKit

/// Remote names checked before they become local paths (`LocalNameRules`, `LocalNameClaims`).
@Suite struct LocalNameRulesTests {
    let rules = LocalNameRules(root: "/data/dest")

    private func refusal(_ name: String) -> String? {
        LocalNameRules.problem(name, rootPrefixBytes: rules.rootPrefixBytes)
    }

    @Test func ordinaryNamesPass() throws {
        for name in ["a.bin", "dir/sub/file", "odd\u{FFFF}name", "caf\u{E9}/cafe\u{301}", "..hidden", "a..b", ".dotfile",
                     "dir/...", String(repeating: "x", count: 255)] {
            #expect(refusal(name) == nil, "\(name)")
            try rules.check(name)
        }
    }

    @Test(arguments: [
        ("../up", "'..'"), ("a/../../up", "'..'"), ("a/..", "'..'"), ("./a", "'.'"), ("a/./b", "'.'"),
        ("/abs", "absolute"), ("a//b", "empty"), ("dir/", "empty"), ("back\\slash", "backslash"),
        ("nul\u{0}byte", "NUL"), ("ctl\u{1}x", "control"), ("tab\tx", "control"), ("nl\nx", "control"),
        ("del\u{7F}x", "control"), ("c1\u{85}x", "control"),
    ])
    func hostileNamesAreRefused(name: String, reason: String) {
        let problem = refusal(name)
        #expect(problem?.contains(reason) == true, "\(name.debugDescription): \(problem ?? "accepted")")
        #expect(throws: FerryError.self) { try rules.check(name) }
    }

    @Test func componentLimitCountsBytes() {
        #expect(refusal(String(repeating: "L", count: 256))?.contains("256 bytes") == true)
        // 86 CJK characters are 258 bytes: one component over NAME_MAX although only 86 characters.
        #expect(refusal("dir/" + String(repeating: "\u{6F22}", count: 86))?.contains("258 bytes") == true)
        #expect(refusal(String(repeating: "\u{6F22}", count: 85)) == nil)
    }

    @Test func wholePathLimitIncludesTheRoot() {
        let component = String(repeating: "p", count: 200)
        let long = Array(repeating: component, count: 20).joined(separator: "/")  // 4,019 bytes
        #expect(LocalNameRules.problem(long, rootPrefixBytes: 10) == nil)
        #expect(LocalNameRules.problem(long, rootPrefixBytes: 100)?.contains("4096") == true)
    }

    @Test func refusalsAreSkipItemWithTheirOwnCode() {
        do {
            try rules.check("../x")
            Issue.record("accepted")
        } catch let error as FerryError {
            #expect(error.code == .unsafeName && error.disposition == .skipItem)
            #expect(error.message.hasPrefix("not downloaded: "))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aFileCannotAlsoBeADirectoryInEitherOrder() throws {
        var claims = LocalNameClaims()
        try claims.claim("a/b")
        #expect(throws: FerryError.self) { try claims.claim("a/b/c") }
        try claims.claim("a/bc")  // a sibling that only shares bytes is fine
        var reversed = LocalNameClaims()
        try reversed.claim("x/y/z")
        #expect(throws: FerryError.self) { try reversed.claim("x/y") }
        #expect(throws: FerryError.self) { try reversed.claim("x") }
        try reversed.claim("x/y/w")
    }

    @Test func aPathIsClaimedOnceAndSpellingsAreBytes() throws {
        var claims = LocalNameClaims()
        try claims.claim("dir/caf\u{E9}")
        try claims.claim("dir/cafe\u{301}")  // NFD: a different file on Linux
        #expect(throws: FerryError.self) { try claims.claim("dir/caf\u{E9}") }
    }

    @Test func printableNamesEscapeControlCharacters() {
        #expect(PrintableName.of("plain/\u{FFFF}/caf\u{E9}") == "plain/\u{FFFF}/caf\u{E9}")
        #expect(PrintableName.of("a\u{1}b\nc\u{85}d\u{2028}") == "a\\u{1}b\\u{A}c\\u{85}d\\u{2028}")
    }
}
