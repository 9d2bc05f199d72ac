import FeedParsing
import NewsModel
import Testing

@Suite("FeedParser ill-formed input")
struct FeedParserRecoveryTests {
    @Test("tag soup: bare &, undeclared entities, open <br>, stray <: every item recovered, text intact")
    func tagSoup() throws {
        let doc = try Fixture.parse("illformed-de.xml")
        #expect(doc.isRecovered)
        #expect(doc.entries.count == 2)
        #expect(doc.entries[0].title == "Bürger & Verwaltung: Sitzung am Montag")
        #expect(doc.entries[0].link == "https://lokal.example.de/a?id=1&ref=rss")
        #expect(doc.entries[0].text.summary == "Tagesordnung: 1. Haushalt 2. Radwege – Beginn 18 Uhr, Eintritt < 5 Euro")
        #expect(doc.entries[1].title == "Zweite Meldung")
        let first = try #require(doc.diagnostics.first)
        #expect(first.line == 6)
        #expect(first.message.contains("recovered"))
    }

    @Test("a truncated document keeps what came before the cut")
    func truncated() throws {
        let text = "<rss><channel><title>Abgeschnitten</title><item><title>Eins</title></item><item><title>Zw"
        let doc = try FeedParser().parse(Array(text.utf8))
        #expect(doc.isRecovered)
        #expect(doc.feed.title == "Abgeschnitten")
        #expect(doc.entries.first?.title == "Eins")
    }

    @Test("NUL and other control characters are dropped")
    func controlCharacters() throws {
        let bytes = Array("<rss><channel><title>Null".utf8) + [0, 1, 0x1B] + Array("stellen</title></channel></rss>".utf8)
        let doc = try FeedParser().parse(bytes)
        #expect(doc.feed.title == "Nullstellen")
        #expect(doc.isRecovered)
    }

    @Test("errors name document, line and column", arguments: [
        ("", "document is empty"),
        ("   \n  ", "document is empty"),
        ("<html><body>Kein Feed</body></html>", "not an RSS or Atom feed (root element <html>)"),
        ("just text", "Document is empty"),
    ])
    func errors(input: String, message: String) {
        #expect {
            try FeedParser().parse(Array(input.utf8), url: "feed.xml")
        } throws: { error in
            let e = error as? FeedParserError
            return e?.message == message && e?.document == "feed.xml" && (e?.description.hasPrefix("feed.xml:") ?? false)
        }
    }

    @Test("HTML entities decode once, unknown entities stay as written")
    func entities() throws {
        let xml = "<rss><channel><title>AT&amp;amp;T &eacute; &bogus; &#8364;</title></channel></rss>"
        let doc = try FeedParser().parse(Array(xml.utf8))
        #expect(doc.feed.title == "AT&T é &bogus; €")
        #expect(!doc.isRecovered)
    }

    @Test("C1 characters: double-encoded UTF-8 and windows-1252 punctuation are repaired")
    func c1Repair() throws {
        let xml = "<rss><channel><item><title>&#226;&#128;&#158;Zitat&#226;&#128;&#156;</title><description>don&#146;t</description></item></channel></rss>"
        let doc = try FeedParser().parse(Array(xml.utf8))
        #expect(doc.entries.first?.title == "„Zitat“")
        #expect(doc.entries.first?.summary == "don’t")
    }
}
