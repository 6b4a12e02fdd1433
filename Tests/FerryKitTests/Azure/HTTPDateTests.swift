import Foundation
import Testing
@testable import FerryKit

@Suite struct HTTPDateTests {
    /// The byte-level parser agrees with formatting across leap years, month ends and centuries.
    @Test func parsesWhatItFormats() {
        var seconds: Double = -86_400 * 365 * 20  // 1950
        while seconds < 86_400 * 365 * 200 {      // 2170
            let date = Date(timeIntervalSince1970: seconds.rounded(.down))
            #expect(HTTPDate.parse(HTTPDate.format(date)) == date, "\(HTTPDate.format(date))")
            seconds += 86_400 * 13.37 + 3_607
        }
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT") == Date(timeIntervalSince1970: 1_709_251_199))
        #expect(HTTPDate.parse("Thu, 29 Xyz 2024 23:59:59 GMT") == nil)
        #expect(HTTPDate.parse("Thu, 9 Feb 2024 23:59:59 GMT") == Date(timeIntervalSince1970: 1_707_523_199))  // one-digit day
    }
}
