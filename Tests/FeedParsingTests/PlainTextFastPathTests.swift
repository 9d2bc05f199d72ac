@testable import FeedParsing
import Testing

@Suite("Plain text: zero-copy paths")
struct PlainTextFastPathTests {
    static let extraCases: [String] = [
        "<p>Truppen an der Grenze</p>",
        "<p>Truppen an der Grenze</p>\n",
        "<p class=\"lead\">Gespräche in Brüssel</p><br/>",
        "Talks in Brussels & more",
        "Talks &amp; more",
        "<p>eins</p><p>zwei</p>",
        "<p> eins</p>",
        "<p>eins  zwei</p>",
        "<p>eins\u{A0}zwei</p>",
        "<p>a < b</p>",
        "<script>x</script>Text",
        "<!-- it's a comment -->Text",
        "<a title='x>y'>Link</a>",
        "Text<p",
        "plain words only",
    ]

    static var allInputs: [String] { PlainTextTests.cases.map(\.0) + extraCases }

    @Test("plainText(of:) renders exactly as the byte path")
    func stringPathAgrees() {
        for input in Self.allInputs {
            #expect(HTMLText.plainText(of: input) == HTMLText.plainText(Array(input.utf8)[...]), "\(input)")
        }
        for (input, expected) in PlainTextTests.cases {
            #expect(HTMLText.plainText(of: input) == expected, "\(input)")
        }
    }

    @Test("a single text run is exactly the rendering")
    func singleRunAgrees() {
        var runs = 0
        for input in Self.allInputs {
            let bytes = Array(input.utf8)
            guard let run = bytes.withUnsafeBufferPointer(HTMLText.singleTextRun) else { continue }
            runs += 1
            let general = HTMLText.plainText((bytes + [0x0A])[...])
            #expect(String(decoding: bytes[run], as: UTF8.self) == general, "\(input)")
        }
        #expect(runs >= 5)
    }

    @Test("vector double-space check agrees with a byte loop")
    func doubleSpaceAgrees() {
        var g: UInt64 = 0x1234_5678_9ABC_DEF1
        for length in 0..<80 {
            for _ in 0..<20 {
                let bytes: [UInt8] = (0..<length).map { _ in
                    g ^= g << 13; g ^= g >> 7; g ^= g << 17
                    return g % 4 == 0 ? 0x20 : UInt8(ascii: "x")
                }
                var expected = false
                for k in 0..<max(0, length - 1) where bytes[k] == 0x20 && bytes[k + 1] == 0x20 { expected = true }
                #expect(bytes.withUnsafeBytes(HTMLText.hasDoubleSpace) == expected)
            }
        }
    }
}
