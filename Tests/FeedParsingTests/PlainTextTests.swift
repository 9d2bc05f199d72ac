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
            // Force the general path by appending a newline (not simple), which collapses away.
            #expect(fast == HTMLText.plainText((bytes + [0x0A])[...]), "\(input)")
        }
    }
}
