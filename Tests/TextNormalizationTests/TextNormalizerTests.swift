import Testing
import TextNormalization

struct TextNormalizerTests {
    @Test(arguments: [
        ("Nato-Russland-Rat", "nato russland rat"),
        ("Truppenaufmarsch an der Grenze", "truppenaufmarsch an der grenze"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Brüssel", "bruessel"),
        ("BRÜSSEL", "bruessel"),
        ("Café", "cafe"),
        ("Ver\u{00AD}tei\u{00AD}digung", "verteidigung"),
        ("NATO\u{2013}Russia", "nato russia"),
        ("NATO\u{2010}Russia\u{2011}Council\u{2012}x\u{2014}y\u{2015}z\u{2212}w", "nato russia council x y z w"),
        ("ﬁnal", "final"),  // NFKC ligature
        ("Ｎａｔｏ", "nato"),  // fullwidth
        ("Bru\u{0308}ssel", "bruessel"),  // decomposed umlaut
        ("Øresund Łódź", "oresund lodz"),
        ("Støre, Łukaszenka, Đoković, Æsir, Œuvre, Þór", "store, lukaszenka, dokovic, aesir, oeuvre, thor"),
        ("\u{201E}Zitat\u{201C} \u{2019}s", "\"zitat\" 's"),
    ])
    func normalizesGermanAndEnglishText(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test(arguments: [
        ("Nato-Russland-Rat tagt, erstmals.", ["nato", "russland", "rat", "tagt", "erstmals"]),
        ("Truppen\u{00AD}aufmarsch", ["truppenaufmarsch"]),
        ("Russia's troops", ["russia", "s", "troops"]),
        ("„Gespräche“ über 100.000 Soldaten", ["gespraeche", "ueber", "100", "000", "soldaten"]),
        ("Ärger: Übung; Öl", ["aerger", "uebung", "oel"]),
        ("MOSKAU—KIEW", ["moskau", "kiew"]),
        ("Bru\u{0308}ssel", ["bruessel"]),
        ("Ｎａｔｏ ＲＡＴ", ["nato", "rat"]),
        ("Россия и НАТО", ["россия", "и", "нато"]),
        ("Jonas Gahr Støre trifft Łukaszenka", ["jonas", "gahr", "store", "trifft", "lukaszenka"]),
        ("Mehr unter https://www.nato.int/cps/de/natohq/news.htm lesen", ["mehr", "unter", "lesen"]),
        ("(HTTP://Nato.int/x) WWW.nato.int; www.nato.int\u{00A0}Nato", ["nato"]),
        ("http and www, https: whitehouse wwwx", ["http", "and", "www", "https", "whitehouse", "wwwx"]),
        ("Nato<a>http://nato.int</a>Rat", ["nato", "a", "a", "rat"]),
        ("", []),
        ("  -- ", []),
    ])
    func splitsIntoWords(input: String, expected: [String]) {
        #expect(TextNormalizer.words(in: input) == expected)
    }

    @Test func tokenizerKeepsSourceOffsets() {
        let text = "Der Nato-Russland-Rat tagt in Brüssel."
        let tokens = WordTokenizer(text)
        let utf8 = Array(text.utf8)
        let surfaces = (0..<tokens.count).map {
            String(decoding: utf8[Int(tokens.sourceStarts[$0])..<Int(tokens.sourceEnds[$0])], as: UTF8.self)
        }
        #expect(surfaces == ["Der", "Nato", "Russland", "Rat", "tagt", "in", "Brüssel"])
        #expect(String(decoding: tokens.bytes, as: UTF8.self) == " der nato russland rat tagt in bruessel ")
        #expect(tokens.starts.map { tokens.bytes[Int($0) - 1] } == Array(repeating: 0x20, count: 7))
    }

    @Test func normalizeAndWordsAgree() {
        let samples = ["Nato-Russland-Rat", "Militäraufmarschs an der ukrainischen Grenze", "Sergej Lawrow – „Nein“", "ﬂüchtig Straße"]
        for s in samples {
            let fromNormalize = TextNormalizer.normalize(s).split { !($0.isLetter || $0.isNumber) }.map(String.init)
            #expect(fromNormalize == TextNormalizer.words(in: s), "\(s)")
        }
    }
}
