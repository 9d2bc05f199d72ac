import FeedParsing
import NewsModel
import Testing

/// Issue 11: charset labels that contradict the bytes, and UTF-8 with stray Latin-1 bytes.
@Suite("Charset labels that lie, and repaired UTF-8")
struct CharsetRepairTests {
    private static let title = "Grüße aus München"
    private static let item = "Die Regierung schlägt Alarm: Straßenbahn fällt aus"

    private static func feed(declaration: String? = "UTF-8") -> String {
        let head = declaration.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        return head + "<rss version=\"2.0\"><channel><title>\(title)</title>"
            + "<item><title>\(item)</title><guid>urn:de:1</guid></item></channel></rss>\n"
    }

    private static func utf16LE(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return bytes
    }

    private func parse(_ bytes: [UInt8], charset: String? = nil) throws -> FeedDocument {
        try FeedParser().parse(bytes, url: "https://zeitung.example/rss", charset: charset)
    }

    @Test("UTF-8 labelled UTF-16 by the server or the declaration", arguments: ["utf-16", "UTF-16LE", "utf-32"])
    func utf8LabelledWide(label: String) throws {
        for (bytes, charset) in [(Array(Self.feed().utf8), label), (Array(Self.feed(declaration: label).utf8), nil)] {
            let document = try parse(bytes, charset: charset)
            #expect(document.feed.title == Self.title)
            #expect(document.entries.first?.title == Self.item)
            #expect(document.diagnostics.contains { $0.message.contains("labelled \(label) but the bytes are not") })
        }
    }

    @Test("UTF-16 without a BOM labelled UTF-8: the zero bytes win")
    func utf16LabelledUTF8() throws {
        let document = try parse(Self.utf16LE(Self.feed(declaration: nil)), charset: "utf-8")
        #expect(document.feed.title == Self.title)
    }

    @Test("a byte-order mark beats a contradicting label")
    func bomBeatsLabel() throws {
        let utf8BOM = [0xEF, 0xBB, 0xBF] + Array(Self.feed().utf8)
        #expect(try parse(utf8BOM, charset: "utf-16").feed.title == Self.title)
        #expect(try parse(utf8BOM, charset: "iso-8859-1").feed.title == Self.title)
        let utf16BOM: [UInt8] = [0xFF, 0xFE] + Self.utf16LE(Self.feed(declaration: nil))
        #expect(try parse(utf16BOM, charset: "iso-8859-1").entries.first?.title == Self.item)
    }

    @Test(
        "UTF-8 under a Latin-1 or windows-1252 label is read as UTF-8",
        arguments: [("ISO-8859-1", true), ("windows-1252", true), ("latin1", false), ("cp1252", false)])
    func utf8LabelledLatin1(label: String, inDeclaration: Bool) throws {
        let bytes = Array(Self.feed(declaration: inDeclaration ? label : "UTF-8").utf8)
        let document = try parse(bytes, charset: inDeclaration ? nil : label)
        #expect(document.feed.title == Self.title)  // not "GrÃ¼ÃŸe aus MÃ¼nchen"
        #expect(document.entries.first?.title == Self.item)  // not "schlÃ¤gt"
    }

    @Test("real Latin-1 under a Latin-1 label stays Latin-1")
    func realLatin1() throws {
        let bytes = Self.feed(declaration: "ISO-8859-1").unicodeScalars.map { UInt8($0.value) }
        let document = try parse(bytes)
        #expect(document.feed.title == Self.title)
        #expect(document.entries.first?.title == Self.item)
        #expect(document.diagnostics.isEmpty)
    }

    @Test("UTF-8 with stray Latin-1 bytes keeps every valid sequence and repairs only the bad bytes")
    func mixedUTF8AndLatin1() throws {
        // "Köln" in UTF-8 (C3 B6) and "Bärlauch" with a raw Latin-1 ä (E4) in the same title.
        let bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>x</title><item><title>Köln: B".utf8)
            + [0xE4] + Array("rlauch-Saison, Gr\u{FC}\u{DF}e</title></item></channel></rss>".utf8)
        let document = try parse(bytes)
        #expect(document.entries.first?.title == "Köln: Bärlauch-Saison, Grüße")  // not "KÃ¶ln"
        #expect(document.diagnostics.contains { $0.message.contains("1 byte(s) not valid UTF-8") })
    }

    @Test("a broken sequence is repaired on its own; the valid ones around it are kept")
    func brokenSequence() throws {
        // "Ü" cut to its first byte (C3) before a space, between valid "ä" and "ö".
        let bytes = Array("<rss version=\"2.0\"><channel><title>ä ".utf8) + [0xC3] + Array(" ö</title></channel></rss>".utf8)
        #expect(try parse(bytes).feed.title == "ä Ã ö")
    }
}
