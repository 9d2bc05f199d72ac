import FeedParsing
import NewsModel
import Testing

@Suite("FeedParser formats")
struct FeedParserFormatTests {
    @Test("RSS 2.0 (German): channel, items, namespaces, CDATA, enclosures, relative links")
    func rss20() throws {
        let doc = try Fixture.parse("rss20-de.xml")
        #expect(doc.format == .rss20)
        #expect(!doc.isRecovered)
        #expect(doc.feed.title == "Weltspiegel Nachrichten")  // not the <image> title
        #expect(doc.feed.link == "https://weltspiegel.example.de/")
        #expect(doc.feed.language == "de-DE")
        #expect(doc.feed.updated.iso == "2022-01-12T10:05:00Z")
        #expect(doc.entries.count == 3)
        let first = doc.entries[0]
        #expect(first.id == "ws-2022-0112-100")
        #expect(first.link == "https://weltspiegel.example.de/ausland/nato-russland-rat-100.html")
        #expect(first.published.iso == "2022-01-12T09:15:00Z")
        #expect(first.author == "Anna Beispiel")
        #expect(first.categories == ["Ausland", "Sicherheitspolitik"])
        #expect(first.summary == "<p>Erstmals seit zweieinhalb Jahren sprechen Vertreter von Nato & Russland wieder direkt miteinander.</p>")
        #expect(first.content?.hasPrefix("<p>In Brüssel kommt der <b>Nato-Russland-Rat</b> zusammen.</p>") == true)
        #expect(first.enclosures == [Enclosure(url: "https://weltspiegel.example.de/audio/rat.mp3", type: "audio/mpeg", length: "1234567")])
        // Plain text for the matcher: tags stripped, entities decoded, whitespace collapsed.
        #expect(first.text.title == "Nato-Russland-Rat tagt in Brüssel")
        #expect(first.text.content == "In Brüssel kommt der Nato-Russland-Rat zusammen. Im Mittelpunkt steht der Truppenaufmarsch an der ukrainischen Grenze.")
        #expect(first.text.categories == ["Ausland", "Sicherheitspolitik"])
        let second = doc.entries[1]
        #expect(second.title == "Stadtrat beschließt „Radweg-Offensive“")
        #expect(second.link == "https://fixtures.example/inland/radweg-101.html")  // resolved against the document URL
        #expect(second.published.iso == "2022-01-11T17:30:00Z")
        let third = doc.entries[2]
        #expect(third.title == "Kurzmeldung ohne Titel")  // media:title as a fallback
        #expect(third.link == "https://weltspiegel.example.de/kurz/102.html")  // permalink guid
        #expect(third.published.iso == "2022-01-12T09:00:00Z")
    }

    @Test("RSS 0.91 with a DOCTYPE and undeclared HTML entities")
    func rss091() throws {
        let doc = try Fixture.parse("rss091-en.xml")
        #expect(doc.format == .rss091)
        #expect(!doc.isRecovered)
        #expect(doc.feed.subtitle == "Local news & views from the harbour town")
        #expect(doc.entries.map(\.title) == ["Café owners protest new parking rules", "Ferry timetable changes for winter"])
        #expect(doc.entries[0].summary == "Owners of the harbour cafés say the rules — due in March — will cost them customers.\u{A0}More inside.")
        #expect(doc.entries[0].text.summary == "Owners of the harbour cafés say the rules — due in March — will cost them customers. More inside.")
    }

    @Test("RSS 1.0 (RDF, English): dc and dcterms, rdf:about as id")
    func rdf() throws {
        let doc = try Fixture.parse("rdf-en.xml")
        #expect(doc.format == .rss10)
        #expect(doc.feed.language == "en")
        #expect(doc.feed.updated.iso == "2022-01-12T10:00:00Z")
        #expect(doc.entries.count == 2)
        let e = doc.entries[0]
        #expect(e.id == "https://wire.example.org/1")
        #expect(e.author == "Wire Staff")
        #expect(e.categories == ["Security"])
        #expect(e.updated.iso == "2022-01-12T08:58:00Z")
        #expect(e.published.iso == "2022-01-12T08:30:00Z")
    }

    @Test("Atom 1.0 (German): text constructs, xml:base, person, categories, enclosure links")
    func atom10() throws {
        let doc = try Fixture.parse("atom10-de.xml")
        #expect(doc.format == .atom10)
        #expect(doc.feed.title == "Außenpolitik & Sicherheit")
        #expect(doc.feed.subtitle == "<em>Analysen</em> aus der Redaktion")
        #expect(doc.feed.link == "https://blog.example.de/")
        #expect(doc.feed.language == "de")
        #expect(doc.feed.updated.iso == "2022-01-12T09:20:00Z")
        let e = doc.entries[0]
        #expect(e.title == "Was der <i>Nato-Russland-Rat</i> leisten kann")
        #expect(e.text.title == "Was der Nato-Russland-Rat leisten kann")
        #expect(e.link == "https://blog.example.de/beitraege/2022/nato-russland-rat.html")
        #expect(e.enclosures.first?.url == "https://blog.example.de/media/interview.ogg")
        #expect(e.author == "Jonas Muster")
        #expect(e.categories == ["Sicherheitspolitik"])
        #expect(e.summary == "Kurz: Gespräche statt Eskalation? 3 < 5")  // type="text" keeps "<" as text
        #expect(e.content == "<p>Der <a href=\"https://blog.example.de/themen/nato.html\">Rat</a> tagt & berät.</p>")
        #expect(e.text.content == "Der Rat tagt & berät.")
        #expect(doc.entries[1].content == "<p>Text mit überraschendem Inhalt.</p>")  // html decoded once
    }

    @Test("Atom 0.3 (English): escaped and base64 modes, issued/modified, tagline")
    func atom03() throws {
        let doc = try Fixture.parse("atom03-en.xml")
        #expect(doc.format == .atom03)
        #expect(doc.feed.title == "Dispatches & Notes")
        #expect(doc.feed.subtitle == "Notes from a newsroom")
        let e = doc.entries[0]
        #expect(e.summary == "<b>Talks</b> resumed on Wednesday.")
        #expect(e.content == "<p>Negotiators met for six hours.</p>")
        #expect(e.published.iso == "2022-01-12T13:00:00Z")
        #expect(e.updated.iso == "2022-01-12T09:00:00Z")
    }

    @Test("golden JSON", arguments: ["rss20-de", "rss091-en", "rdf-en", "atom10-de", "atom03-en", "illformed-de"])
    func golden(name: String) throws {
        let doc = try Fixture.parse(name + ".xml")
        try Fixture.assertSnapshot(FeedDocumentJSON.render(doc), named: name)
    }
}
