import Foundation
import NewsModel
import Testing

struct JSONTextTests {
    @Test(arguments: [
        "plain", "Nato-Russland-Rat: „Gespräche“ in Brüssel", "quote \" and \\ backslash",
        "line\nbreak\ttab\rreturn", "control \u{01}\u{1F}\u{7F} bytes", "separators \u{2028} and \u{2029}",
        "emoji 🇺🇦 and e\u{301}", "",
    ])
    func quotedTextRoundTripsThroughAJSONReader(text: String) throws {
        let literal = JSONText.quoted(text)
        let decoded = try JSONSerialization.jsonObject(
            with: Data("[\(literal)]".utf8)) as? [String]
        #expect(decoded == [text])
        #expect(!literal.contains("\n") && !literal.contains("\u{2028}") && !literal.contains("\u{2029}"))
    }

    @Test func escapesControlCharactersAsLowercaseUnicodeEscapes() {
        #expect(JSONText.quoted("a\u{01}b") == "\"a\\u0001b\"")
        #expect(JSONText.quoted("x\u{2028}y") == "\"x\\u2028y\"")
    }
}
