import Foundation
import Testing
@testable import FerryKit

/// The one percent-encoder Azure and S3 share (RFC 3986 unreserved kept, UTF-8 bytes escaped).
@Suite struct PercentEncodingTests {
    @Test(arguments: [
        ("plain-Name_1.txt~", "plain-Name_1.txt~"),
        ("a b+c=d&e", "a%20b%2Bc%3Dd%26e"),
        ("dir/file", "dir%2Ffile"),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("%41", "%2541"),
        ("", ""),
    ])
    func encodesEveryByteOutsideTheUnreservedSet(_ text: String, _ expected: String) {
        #expect(PercentEncoding.encode(text) == expected)
    }

    @Test func agreesWithFoundationOnEveryASCIIByteAndSomeUnicode() {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        var samples = (1..<128).map { String(UnicodeScalar(UInt8($0))) }
        samples += ["naïve café", "🚀 rocket", "x\u{0301}", "path/with spaces/ünï"]
        for text in samples {
            #expect(PercentEncoding.encode(text) == text.addingPercentEncoding(withAllowedCharacters: unreserved), "\(text)")
        }
    }

    @Test func pathsKeepTheirSlashes() {
        #expect(PercentEncoding.encodePath("a b/c+d//e") == "a%20b/c%2Bd//e")
        #expect(PercentEncoding.encodePath("/lead") == "/lead")
        #expect(PercentEncoding.encodePath("noslash") == "noslash")
    }
}
