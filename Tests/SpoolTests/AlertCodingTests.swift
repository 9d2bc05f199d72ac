import Foundation
import NewsModel
import Testing

@testable import Spool

@Suite struct AlertCodingTests {
    @Test func encodesSchemaVersionOneWithSnakeCaseKeysAndUTCDates() throws {
        let json = try AlertCoding.encode(SampleAlerts.make())
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["topic_title"] as? String == "NATO-Russia Council")
        #expect(object["detected_at"] as? String == "2022-01-12T10:15:03Z")
        #expect(object["feed_url"] as? String == "https://news.example.org/feed.xml")
        #expect((object["also_in"] as? [String]) == [])
        let item = try #require(object["item"] as? [String: Any])
        #expect(item["published"] as? String == "2022-01-12T08:58:00Z")
        let why = try #require(object["why"] as? [[String: String]])
        #expect(why == [["term": "nato russland rat", "field": "title", "text": "Nato-Russland-Rat"]])
        #expect(!json.contains("\n"))
        #expect(!json.contains("\\/"))
    }

    @Test func cutsTheSummaryTo500Characters() throws {
        let long = String(repeating: "Truppenaufmarsch ", count: 60)
        let json = try AlertCoding.encode(SampleAlerts.make(summary: long))
        let alert = try AlertCoding.decode(Data(json.utf8))
        #expect(alert.item.summary.count == 500)
        #expect(alert.item.summary.hasSuffix("…"))
    }

    @Test func roundTripsAndRejectsOtherVersions() throws {
        let original = SampleAlerts.make()
        let decoded = try AlertCoding.decode(Data(try AlertCoding.encode(original).utf8))
        #expect(decoded == original)
        let future = try AlertCoding.encode(original).replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        #expect(throws: SpoolError.self) { try AlertCoding.decode(Data(future.utf8), path: "x.json") }
    }
}

@Suite struct AlertJSONEscapingTests {
    @Test func escapesQuotesBackslashesAndControlCharactersAndKeepsKeyOrder() throws {
        let alert = SampleAlerts.make(title: "Er sagte: \"Rat\" \\ tagt\n\u{1B}[31m")
        let json = try AlertCoding.encode(alert)
        #expect(json.contains(#""title":"Er sagte: \"Rat\" \\ tagt\n\u001b[31m""#))
        #expect(json.hasPrefix(#"{"version":1,"id":""#))
        #expect(try AlertCoding.decode(Data(json.utf8)) == alert)
        var noLink = alert
        noLink.item.link = nil
        noLink.item.published = nil
        let nulls = try AlertCoding.encode(noLink)
        #expect(nulls.contains(#""link":null"#) && nulls.contains(#""published":null"#))
        #expect(try AlertCoding.decode(Data(nulls.utf8)) == noLink)
    }

    /// A broken alert file is named with a short reason, not a decoder dump.
    @Test func decodingFailuresSayWhatIsWrong() throws {
        func reason(_ json: String) -> String? {
            do {
                _ = try AlertCoding.decode(Data(json.utf8), path: "x.json")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(reason("{") == "x.json: not an alert: not valid JSON")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(AlertCoding.encode(SampleAlerts.make(id: SampleAlerts.id(1))).utf8)) as? [String: Any])
        object["topic"] = 7
        #expect(reason(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)) == "x.json: not an alert: \"topic\" is not a string")
        var why = try #require(object["why"] as? [[String: Any]])
        why[0]["text"] = nil
        object["topic"] = "t"
        object["why"] = why
        #expect(reason(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)) == "x.json: not an alert: missing \"why[0].text\"")
    }
}
