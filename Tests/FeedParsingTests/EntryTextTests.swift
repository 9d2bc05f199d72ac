import FeedParsing
import NewsModel
import Testing

/// The plain-text side of entries (`FeedEntry.text`) where the builder takes shortcuts.
@Suite("Entry plain text")
struct EntryTextTests {
    static func rss(_ items: String) -> [UInt8] {
        Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Ticker</title>\(items)</channel></rss>".utf8)
    }

    @Test("categories: plain text kept per category, whether markup comes first, last or never")
    func categories() throws {
        let doc = try FeedParser().parse(Self.rss("""
            <item><title>Eins</title><category>Politik</category><category>Außen &amp; Sicherheit</category></item>
            <item><title>Zwei</title><category>&lt;b&gt;Wirtschaft&lt;/b&gt;</category><category>Börse</category></item>
            <item><title>Drei</title><category>Sport</category><category>Fußball</category></item>
            <item><title>Vier</title><category>Kultur</category><category>&lt;i&gt;Kino&lt;/i&gt;</category><category>Film</category></item>
            """))
        let e = doc.entries
        #expect(e.count == 4)
        #expect(e[0].categories == ["Politik", "Außen & Sicherheit"])
        #expect(e[0].text.categories == ["Politik", "Außen & Sicherheit"])
        #expect(e[1].categories == ["<b>Wirtschaft</b>", "Börse"])
        #expect(e[1].text.categories == ["Wirtschaft", "Börse"])
        #expect(e[2].text.categories == ["Sport", "Fußball"])
        #expect(e[3].categories == ["Kultur", "<i>Kino</i>", "Film"])
        #expect(e[3].text.categories == ["Kultur", "Kino", "Film"])
    }

    @Test("plain text that is a run of the value: ASCII text in non-ASCII markup, and the reverse")
    func textRuns() throws {
        let doc = try FeedParser().parse(Self.rss("""
            <item><title>A</title><description><![CDATA[<p title="Grüße">Talks in Brussels</p>]]></description></item>
            <item><title>B</title><description><![CDATA[<p class="x">Gespräche in Brüssel</p>]]></description></item>
            <item><title>C</title><description><![CDATA[<p>Talks in Brussels</p>]]></description></item>
            """))
        #expect(doc.entries.map(\.text.summary) == ["Talks in Brussels", "Gespräche in Brüssel", "Talks in Brussels"])
        #expect(doc.entries[0].text.summary.utf8.count == 17)
        #expect(doc.entries[0].text.summary == doc.entries[2].text.summary)
        #expect(doc.entries[0].text.summary.hashValue == doc.entries[2].text.summary.hashValue)
    }

    @Test("Atom link relations and RSS isPermaLink are read case- and space-insensitively")
    func attributeValues() throws {
        let atom = Array("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
            <entry><title type=" HTML ">&lt;b&gt;Fett&lt;/b&gt;</title><id>urn:x:1</id>
            <link rel="Enclosure" href="https://example.org/a.mp3" type="audio/mpeg"/>
            <link rel=" alternate " href="https://example.org/a.html"/></entry>
            <entry><title>Zwei</title><id>urn:x:2</id><link rel="self" href="https://example.org/self"/></entry>
            </feed>
            """.utf8)
        let doc = try FeedParser().parse(atom)
        #expect(doc.entries[0].link == "https://example.org/a.html")
        #expect(doc.entries[0].enclosures.map(\.url) == ["https://example.org/a.mp3"])
        #expect(doc.entries[0].title == "<b>Fett</b>")
        #expect(doc.entries[0].text.title == "Fett")
        #expect(doc.entries[1].link == nil)
        let rss = try FeedParser().parse(Self.rss("""
            <item><title>A</title><guid isPermaLink=" FALSE ">https://example.org/a</guid></item>
            <item><title>B</title><guid>https://example.org/b</guid></item>
            <item><title>C</title><guid ispermalink="false">https://example.org/c</guid></item>
            """))
        #expect(rss.entries.map(\.link) == [nil, "https://example.org/b", nil])
    }
}
