import FeedParsing
import NewsModel
import Testing

@Suite("FeedParser encodings")
struct FeedParserEncodingTests {
    @Test("ISO-8859-1 declared in the XML declaration")
    func latin1() throws {
        let doc = try Fixture.parse("latin1-de.xml")
        #expect(doc.feed.title == "Grüße aus Köln")
        #expect(doc.entries.first?.title == "Straßenbahn fährt wieder über die Brücke")
    }

    @Test("windows-1252 mislabelled as UTF-8 falls back to windows-1252 with a diagnostic")
    func mislabelled() throws {
        let doc = try Fixture.parse("cp1252-mislabelled-de.xml")
        #expect(doc.entries.first?.title == "„Preise steigen“ – Einzelhandel warnt")
        #expect(doc.entries.first?.summary == "Ein Kilo Äpfel kostet jetzt 3,20 €.")
        #expect(doc.diagnostics.contains { $0.message.contains("windows-1252") })
    }

    @Test("UTF-16 with a byte-order mark")
    func utf16() throws {
        let doc = try Fixture.parse("utf16le-bom-de.xml")
        #expect(doc.feed.title == "Nachrichten in UTF-16: Übersicht")
        #expect(doc.entries.first?.title == "Grenze zur Ukraine: Truppen ziehen auf")
    }

    @Test("an encoding only iconv knows (KOI8-R)")
    func koi8() throws {
        let doc = try Fixture.parse("koi8r-ru.xml")
        #expect(doc.feed.title == "Новости дня")
    }

    /// Encoding labels as feeds write them: Python-style aliases with `_` or `-` or neither, and bare
    /// code page numbers. The title is byte 0xC0 of that encoding (ASCII-compatible ones) or,
    /// for EBCDIC, the document is written in it.
    @Test("encoding labels in their common spellings", arguments: [
        ("kz_1048", [UInt8(0xC0)], "А"), ("KZ-1048", [0xC0], "А"), ("1251", [0xC0], "А"), ("cp1251", [0xC0], "А"),
        ("windows_1251", [0xC0], "А"), ("mac_centeuro", [0x80], "Ä"), ("1125", [0x80], "А"), ("866", [0x80], "А"),
    ])
    func encodingLabels(label: String, byte: [UInt8], expected: String) throws {
        let document = Array("<?xml version=\"1.0\" encoding=\"\(label)\"?><rss version=\"2.0\"><channel><title>".utf8) + byte
            + Array("</title></channel></rss>".utf8)
        #expect(try FeedParser().parse(document, url: "https://fixtures.example/x.xml").feed.title == expected)
    }

    @Test("a bare EBCDIC code page number (037) is that code page")
    func ebcdicNumber() throws {
        // "<?xml ...?><rss ...>" written in CP037 by mapping each ASCII byte.
        let ascii = "<?xml version=\"1.0\" encoding=\"037\"?><rss version=\"2.0\"><channel><title>Nato</title></channel></rss>"
        let cp037: [Character: UInt8] = [
            "<": 0x4C, "?": 0x6F, "x": 0xA7, "m": 0x94, "l": 0x93, " ": 0x40, "v": 0xA5, "e": 0x85, "r": 0x99, "s": 0xA2,
            "i": 0x89, "o": 0x96, "n": 0x95, "=": 0x7E, "\"": 0x7F, "1": 0xF1, ".": 0x4B, "0": 0xF0, "c": 0x83, "d": 0x84,
            "g": 0x87, "3": 0xF3, "7": 0xF7, ">": 0x6E, "2": 0xF2, "h": 0x88, "a": 0x81, "t": 0xA3, "N": 0xD5, "/": 0x61,
        ]
        let bytes = ascii.map { cp037[$0]! }
        #expect(try FeedParser().parse(bytes, url: "https://fixtures.example/x.xml").feed.title == "Nato")
    }

    @Test("the caller's charset (HTTP header) is used for a document without a declaration")
    func charsetParameter() throws {
        let doc = try Fixture.parse("charset-param-latin1.xml", charset: "iso-8859-1")
        #expect(doc.feed.title == "Ohne Deklaration: Grüße")
        #expect(doc.entries.first?.title == "Ä Ö Ü ß")
        #expect(doc.diagnostics.isEmpty)
    }

    @Test("a caller's charset wins over the XML declaration, a BOM wins over both")
    func precedence() throws {
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><title>K\u{F6}ln</title></channel></rss>".utf8)
            .map { $0 }
        // The title byte is UTF-8 (C3 B6): read as declared UTF-8 it is "Köln". Forced to Latin-1 it would be
        // "KÃ¶ln", but valid multi-byte UTF-8 under a Latin-1 label is read as UTF-8 (CharsetRepairTests).
        #expect(try FeedParser().parse(latin1).feed.title == "Köln")
        #expect(try FeedParser().parse(latin1, charset: "ISO-8859-1").feed.title == "Köln")
        let withRawLatin1 = latin1 + Array("<!-- M".utf8) + [0xFC] + Array("nchen -->".utf8)  // no longer valid UTF-8
        #expect(try FeedParser().parse(withRawLatin1, charset: "ISO-8859-1").feed.title == "KÃ¶ln")
        let withBOM = [0xEF, 0xBB, 0xBF] + latin1
        #expect(try FeedParser().parse(withBOM, charset: "ISO-8859-1").feed.title == "Köln")
    }

    @Test("truncated UTF-8 keeps the text and marks the bad bytes")
    func truncatedUTF8() throws {
        var bytes = Array("<rss><channel><title>Gr\u{FC}\u{DF}e</title><item><title>K\u{F6}ln".utf8)
        bytes.removeLast()  // cut the "n"…
        bytes.removeLast()  // …and half of "ö"
        let doc = try FeedParser().parse(bytes)
        #expect(doc.feed.title == "Grüße")
        #expect(doc.isRecovered)
    }
}
