import Foundation
import Testing

@testable import Fetching

struct HTTPHeaderValuesTests {
    @Test(arguments: [
        ("application/rss+xml; charset=utf-8", "utf-8"),
        ("text/xml;charset=\"ISO-8859-1\"", "ISO-8859-1"),
        ("text/xml; format=flowed; CHARSET=windows-1252", "windows-1252"),
        ("application/xml", nil),
        ("text/xml; charset=", nil),
    ] as [(String, String?)])
    func charsetParameter(contentType: String, expected: String?) {
        #expect(HTTPHeaderValues.charset(fromContentType: contentType) == expected)
    }

    @Test func retryAfterForms() throws {
        let now = try #require(HTTPHeaderValues.httpDate("Wed, 12 Jan 2022 10:00:00 GMT"))
        #expect(HTTPHeaderValues.retryAfter("120", now: now) == .seconds(120))
        #expect(HTTPHeaderValues.retryAfter(" 0 ", now: now) == .zero)
        #expect(HTTPHeaderValues.retryAfter("Wed, 12 Jan 2022 10:15:00 GMT", now: now) == .seconds(900))
        #expect(HTTPHeaderValues.retryAfter("Wednesday, 12-Jan-22 10:15:00 GMT", now: now) == .seconds(900))
        #expect(HTTPHeaderValues.retryAfter("Wed Jan 12 10:15:00 2022", now: now) == .seconds(900))
        #expect(HTTPHeaderValues.retryAfter("Tue, 11 Jan 2022 10:00:00 GMT", now: now) == .zero)
        #expect(HTTPHeaderValues.retryAfter("soon", now: now) == nil)
        #expect(HTTPHeaderValues.retryAfter("-5", now: now) == nil)
        // Absurd values saturate (rate limited, not an error); the scheduler cuts them to 24 h.
        #expect(HTTPHeaderValues.retryAfter("99999999999999999999999", now: now) == .seconds(Int64.max))
    }

    /// The hand-written IMF-fixdate is what the `DateFormatter` it replaced wrote (file: feeds' stored
    /// Last-Modified stays equal across the change).
    @Test func httpDateFormatsAsDateFormatterDid() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var random = SystemRandomNumberGenerator()
        var dates = [
            0, 0.999, 0.9994, 0.9996, 59.5, 86_399.9, 86_399.9997, 86_400, 549_929_820.9996, 951_782_400,
            1_709_164_800, 4_102_444_799.75, 253_402_300_799,
        ]
            .map { Date(timeIntervalSince1970: $0) }
        for n in 0..<3_000 {
            let t = Double.random(in: 0..<4_200_000_000, using: &random)
            // A third just below a whole second, where the millisecond rounding decides.
            dates.append(Date(timeIntervalSince1970: n % 3 == 0 ? t.rounded(.down) + 0.9995 + t.truncatingRemainder(dividingBy: 1) / 2000 : t))
        }
        let mismatches = dates.filter { HTTPHeaderValues.httpDate($0) != formatter.string(from: $0) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5).map { ($0.timeIntervalSince1970, HTTPHeaderValues.httpDate($0)) })")
    }

    @Test func httpDateRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_641_982_503)
        #expect(HTTPHeaderValues.httpDate(date) == "Wed, 12 Jan 2022 10:15:03 GMT")
        #expect(HTTPHeaderValues.httpDate(HTTPHeaderValues.httpDate(date)) == date)
    }
}
