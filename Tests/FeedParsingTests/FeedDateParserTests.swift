import FeedParsing
import Foundation
import Testing

@Suite("FeedDateParser")
struct FeedDateParserTests {
    /// (input, expected UTC instant as ISO 8601)
    static let utcCases: [(String, String)] = [
        // RFC 822 / 1123, every zone form
        ("Wed, 12 Jan 2022 10:15:00 GMT", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 UT", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 UTC", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 Z", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 +0100", "2022-01-12T09:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 -0500", "2022-01-12T15:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 +01:00", "2022-01-12T09:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 EST", "2022-01-12T15:15:00Z"),
        ("Tue, 12 Jul 2022 10:15:00 EDT", "2022-07-12T14:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 PST", "2022-01-12T18:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 CET", "2022-01-12T09:15:00Z"),
        ("Tue, 12 Jul 2022 10:15:00 CEST", "2022-07-12T08:15:00Z"),
        ("Mi, 12 Jan 2022 10:15:00 MEZ", "2022-01-12T09:15:00Z"),
        ("Di, 12 Jul 2022 10:15:00 MESZ", "2022-07-12T08:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 GMT+2", "2022-01-12T08:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 Etc/GMT", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022 10:15:00 A", "2022-01-12T11:15:00Z"),  // RFC 822 military: A = -0100
        ("Wed, 12 Jan 2022 10:15:00 N", "2022-01-12T09:15:00Z"),  // N = +0100
        ("Wed, 12 Jan 2022 10:15 GMT", "2022-01-12T10:15:00Z"),
        ("12 Jan 2022 10:15:00 +0000", "2022-01-12T10:15:00Z"),  // no weekday
        ("Wed,12 Jan 2022 10:15:00 +0000", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 22 10:15:00 GMT", "2022-01-12T10:15:00Z"),  // two-digit year
        ("Fri, 31 Dec 99 23:59:59 GMT", "1999-12-31T23:59:59Z"),
        ("Wed, 12 January 2022 10:15:00 GMT", "2022-01-12T10:15:00Z"),
        ("Wed, 12 Jan 2022", "2022-01-12T00:00:00Z"),
        // German day and month names
        ("Mi, 12 Jan 2022 10:15:00 +0100", "2022-01-12T09:15:00Z"),
        ("Mo, 7 Mär 2022 08:00:00 +0100", "2022-03-07T07:00:00Z"),
        ("Donnerstag, 3. März 2022, 18:30 Uhr MEZ", "2022-03-03T17:30:00Z"),
        ("12. Januar 2022 10:15", "2022-01-12T10:15:00Z"),
        ("1. Okt. 2021 06:45", "2021-10-01T06:45:00Z"),
        ("24. Dezember 2021", "2021-12-24T00:00:00Z"),
        ("12.01.2022 10:15", "2022-01-12T10:15:00Z"),
        // RFC 3339 and W3C-DTF
        ("2022-01-12T10:15:03Z", "2022-01-12T10:15:03Z"),
        ("2022-01-12T10:15:03.250Z", "2022-01-12T10:15:03Z"),
        ("2022-01-12T10:15:03+01:00", "2022-01-12T09:15:03Z"),
        ("2022-01-12T10:15:03-0800", "2022-01-12T18:15:03Z"),
        ("2022-01-12t10:15:03z", "2022-01-12T10:15:03Z"),
        ("2022-01-12 10:15:03", "2022-01-12T10:15:03Z"),
        ("2022-01-12T10:15Z", "2022-01-12T10:15:00Z"),
        ("2022-01-12", "2022-01-12T00:00:00Z"),
        ("2022-01", "2022-01-01T00:00:00Z"),
        ("2022", "2022-01-01T00:00:00Z"),
        ("20220112T101503Z", "2022-01-12T10:15:03Z"),
        ("2022-012", "2022-01-12T00:00:00Z"),  // ordinal date
        ("2022012", "2022-01-12T00:00:00Z"),  // compact ordinal date
        ("22012", "2022-01-12T00:00:00Z"),  // two-digit year, compact ordinal
        ("220112", "2022-01-12T00:00:00Z"),  // YYMMDD
        ("22-01-12", "2022-01-12T00:00:00Z"),  // YY-MM-DD (ISO 8601:1988)
        ("22-012", "2022-01-12T00:00:00Z"),  // YY-DDD
        ("12-01-2022", "2022-01-12T00:00:00Z"),  // a four-digit year last: the day comes first
        ("2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z"),  // crosses a leap day
        // asctime
        ("Wed Jan 12 10:15:03 2022", "2022-01-12T10:15:03Z"),
        ("Wed Jan 12 10:15:03 +0000 2022", "2022-01-12T10:15:03Z"),
    ]

    @Test("parses every supported form", arguments: utcCases)
    func parses(input: String, expected: String) throws {
        let date = try #require(FeedDateParser.parse(input), "\(input) did not parse")
        #expect(FeedDocumentJSON.iso8601(date) == expected, "\(input)")
    }

    @Test("a date without a zone is read in the given time zone, DST included")
    func defaultTimeZone() throws {
        let winter = try #require(FeedDateParser.parse("12. Januar 2022 10:15", defaultTimeZone: "Europe/Berlin"))
        #expect(FeedDocumentJSON.iso8601(winter) == "2022-01-12T09:15:00Z")
        let summer = try #require(FeedDateParser.parse("2022-07-12 10:15:00", defaultTimeZone: "Europe/Berlin"))
        #expect(FeedDocumentJSON.iso8601(summer) == "2022-07-12T08:15:00Z")
        // An explicit zone wins over the default.
        let explicit = try #require(FeedDateParser.parse("Wed, 12 Jan 2022 10:15:00 GMT", defaultTimeZone: "Europe/Berlin"))
        #expect(FeedDocumentJSON.iso8601(explicit) == "2022-01-12T10:15:00Z")
    }

    @Test("rejects what is not a date", arguments: [
        "", "soon", "yesterday at noon", "Wed, 32 Jan 2022 10:15:00 GMT", "2022-13-01", "2022-02-30T10:00:00Z",
        "Wed, 12 Foo 2022 10:15:00 GMT", "12:15",
    ])
    func rejects(input: String) {
        #expect(FeedDateParser.parse(input) == nil, "\(input)")
    }
}
