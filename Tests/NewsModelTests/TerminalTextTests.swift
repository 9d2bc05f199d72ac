import NewsModel
import Testing

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("plain title", "plain title"),
        ("\u{1B}[31mred\u{1B}[0m alert", "red alert"),
        ("\u{1B}]0;owned title\u{07}Nachricht", "Nachricht"),
        ("\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\ text", "link text"),
        ("\u{9B}2Jcleared", "cleared"),
        ("line one\nline two\r\n\tend", "line one line two end"),
        ("bell\u{07} and nul\u{00} and del\u{7F}", "bell and nul and del"),
        ("abc\u{202E}fdp.exe", "abcfdp.exe"),
        ("\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{2066}e\u{2067}f\u{2068}g\u{2069}h", "abcdefgh"),
        ("c1\u{80}\u{85}\u{8D}\u{96}end", "c1 end"),
        ("  Nato-Russland-Rat:  Treffen   in Brüssel ", "Nato-Russland-Rat: Treffen in Brüssel"),
        ("\u{1B}7saved\u{1B}8", "saved"),
        ("redirect \u{1B}[2J\u{07}evil", "redirect evil"),
    ])
    func removesControlCharactersAndEscapeSequences(input: String, expected: String) {
        #expect(TerminalText.sanitize(input) == expected)
    }

    @Test func longValuesAreCutWithAnEllipsis() {
        let long = String(repeating: "ä", count: 1_000_000)
        let cut = TerminalText.sanitize(long, maxLength: 80)
        #expect(cut.count == 80)
        #expect(cut.hasSuffix("…"))
        #expect(TerminalText.sanitize("short", maxLength: 80) == "short")
        #expect(TerminalText.sanitize(String(repeating: "x", count: 80), maxLength: 80).count == 80)
        #expect(TerminalText.sanitize(String(repeating: "x", count: 81), maxLength: 80) == String(repeating: "x", count: 79) + "…")
        // Grapheme clusters are not split: a flag stays whole or goes.
        #expect(TerminalText.sanitize(String(repeating: "🇩🇪", count: 10), maxLength: 3) == "🇩🇪🇩🇪…")
    }

    @Test func aMegabyteOfEscapesEndsFastAndClean() {
        let hostile = String(repeating: "\u{1B}[31m\u{07}\u{202E}x", count: 200_000)
        let clock = ContinuousClock()
        let start = clock.now
        let cut = TerminalText.sanitize(hostile, maxLength: 200)
        #expect(clock.now - start < .seconds(2))
        #expect(cut == String(repeating: "x", count: 199) + "…")
    }
}
