@testable import FeedParsing
import Testing

@Suite("Plain text for the matcher")
struct PlainTextTests {
    static let cases: [(String, String)] = [
        ("<p>Nato-Russland-Rat tagt</p><p>in Brüssel</p>", "Nato-Russland-Rat tagt in Brüssel"),
        ("Der <b>Rat</b> tagt", "Der Rat tagt"),
        ("a<br/>b", "a b"),
        ("3 < 5 und 7 > 2", "3 < 5 und 7 > 2"),
        ("<div> innen </div>", "innen"),
        ("x<script>var a = '<p>';</script>y", "xy"),
        ("<a href=\"x>y\">Link</a> Text", "Link Text"),
        ("Caf&eacute; &amp; Bar", "Café & Bar"),
        ("eins\n\tzwei  drei\u{A0}vier", "eins zwei drei vier"),
        ("a&nbsp;<p>b</p>", "a b"),
        ("AT&amp;T <b>&lt;neu&gt;</b> &#8364; &bogus;", "AT&T <neu> € &bogus;"),
        ("a &amp; <p>b</p> &eacute;", "a & b é"),
        ("   ", ""),
        ("", ""),
    ]

    @Test("tags stripped, entities decoded, whitespace collapsed", arguments: cases)
    func plain(input: String, expected: String) {
        #expect(HTMLText.plainText(Array(input.utf8)[...]) == expected)
    }

    @Test("the memcpy fast path agrees with the general path")
    func fastPathAgrees() {
        for (input, _) in Self.cases {
            let bytes = Array(input.utf8)
            guard let fast = bytes.withUnsafeBufferPointer(HTMLText.simplePlainText) else { continue }
            // Force the general path by appending a newline (never simple), which collapses away.
            #expect(fast == HTMLText.plainText((bytes + [0x0A])[...]), "\(input)")
        }
    }
}

@Suite("Double-space detection")
struct DoubleSpaceTests {
    @Test("finds two spaces anywhere, across word boundaries, and nothing else")
    func detects() {
        func check(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes(HTMLText.hasDoubleSpace) }
        #expect(!check("a b c d e f g h i j k l m n o p"))
        #expect(!check(""))
        #expect(!check(" "))
        for position in 0..<20 {
            var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 20)
            bytes[position] = 0x20
            if position + 1 < 20 { bytes[position + 1] = 0x20 }
            let expected = position + 1 < 20
            #expect(bytes.withUnsafeBytes(HTMLText.hasDoubleSpace) == expected, "at \(position)")
        }
        #expect(!check("ab cd ef gh ij kl mn op qr st uv wx yz"))
        #expect(check("abcdefg  hijklmnop"))  // bytes 7 and 8: across the first word boundary
    }
}
