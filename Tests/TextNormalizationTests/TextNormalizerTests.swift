import Testing
import TextNormalization

struct TextNormalizerTests {
    @Test(arguments: [
        ("Nato-Russland-Rat", "nato russland rat"),
        ("Truppenaufmarsch an der Grenze", "truppenaufmarsch an der grenze"),
        ("Straße", "strasse"),
        ("Brüssel", "bruessel"),
        ("Café", "cafe"),
        ("Ver\u{00AD}tei\u{00AD}digung", "verteidigung"),
        ("NATO\u{2013}Russia", "nato russia"),
    ])
    func normalizesGermanAndEnglishText(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func splitsIntoWords() {
        #expect(TextNormalizer.words(in: "Nato-Russland-Rat tagt, erstmals.") == ["nato", "russland", "rat", "tagt", "erstmals"])
    }
}
