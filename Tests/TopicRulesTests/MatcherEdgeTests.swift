import NewsTestSupport
import NewsModel
import Testing
import TopicRules

/// Cases the matcher must get right beyond the operator table: very long words, a pattern
/// occurring twice inside one word, short wildcards, and phrases open at both ends.
struct MatcherEdgeTests {
    func match(_ rule: String, _ title: String) throws -> [MatchEvidence]? {
        let rules = try RuleSet(topics: [TopicDefinition(id: "t", title: "T", rule: rule)])
        return rules.match(ItemText(title: title, summary: "", content: "", categories: [])).first?.evidence
    }

    @Test func wordsLongerThanTheScratchBufferAreMatchedInFull() throws {
        let long = String(repeating: "x", count: 300) + "aufmarsch"
        #expect(try match("*aufmarsch*", "Der \(long) heute") == [MatchEvidence(term: "*aufmarsch*", field: "title", text: long)])
        #expect(try match("*aufmarsch", long) != nil)
        #expect(try match("xxxx*", long) != nil)
        #expect(try match(long, "vor \(long.uppercased()) nach") != nil)
        #expect(try match(String(long.dropLast()), long) == nil)
        #expect(try match("*aufmarschx*", long) == nil)
    }

    /// An item that repeats topic words tens of thousands of times (a hostile feed, or a long
    /// live blog): NEAR over it stays near-linear, evidence is bounded. (Pairing every left hit
    /// with every right hit took minutes on 4 MB before; a quadratic matcher would time this test out.)
    @Test func floodsOfHitsStayBounded() throws {
        let words = (0..<5_000).map { "Nato Russland Rat\($0 % 7) Truppen Grenze Ukraine" }.joined(separator: " ")
        let rules = try RuleSet(topics: [
            TopicDefinition(id: "near", title: "", rule: "((nato OR truppen) NEAR/100 (russland OR grenze)) NEAR/100 (ukraine OR *rat*)"),
            TopicDefinition(id: "far", title: "", rule: "nato NEAR/1 grenze"),
        ])
        let matches = rules.match(ItemText(content: words))
        #expect(matches.map(\.topicID) == ["near"])
        let evidence = try #require(matches.first?.evidence)
        #expect(evidence.count <= 100)
        #expect(evidence.contains(MatchEvidence(term: "*rat*", field: "content", text: "Rat3")))
    }

    /// NEAR evidence: the words of its terms inside the spans where it holds, not others.
    @Test func nearEvidenceIsTheWordsThatHold() throws {
        #expect(try match("nato NEAR/2 russland", "Nato trifft Russland, später Nato allein und noch viel mehr Text") == [
            MatchEvidence(term: "nato", field: "title", text: "Nato"),
            MatchEvidence(term: "russland", field: "title", text: "Russland"),
        ])
        #expect(try match("(a NEAR/1 b) NEAR/3 c", "c x x a b") != nil)
        #expect(try match("(a NEAR/1 b) NEAR/3 c", "c x x x a b") == nil)
        #expect(try match("(a NEAR/1 b) NEAR/3 c", "a b x x c") != nil)
        #expect(try match("(a NEAR/1 b) NEAR/3 c", "a x b x x c") == nil)
    }

    /// A keyword inside a web address is not a mention (the scanner skips `http://…`, `www.…`).
    @Test func webAddressesAreNotWords() throws {
        #expect(try match("nato", "Quelle: https://www.nato.int/cps/de/natohq/news.htm") == nil)
        #expect(try match("*nato*", "siehe www.NATO.int") == nil)
        #expect(try match("nato", "Nato: http://example.org/russland")
            == [MatchEvidence(term: "nato", field: "title", text: "Nato")])
        #expect(try match("\"nato rat\"", "Nato http://example.org Rat") == [
            MatchEvidence(term: "nato rat", field: "title", text: "Nato http://example.org Rat"),
        ])
    }

    @Test func aPatternTwiceInOneWordGivesOneEvidence() throws {
        let evidence = try match("*marsch*", "Marschmarsch")
        #expect(evidence == [MatchEvidence(term: "*marsch*", field: "title", text: "Marschmarsch")])
    }

    @Test func oneLetterWildcardsAndWords() throws {
        #expect(try match("a*", "Ab heute") != nil)
        #expect(try match("a*", "Heute") == nil)
        #expect(try match("*e", "heute") != nil)
        #expect(try match("*e", "ab") == nil)
        #expect(try match("*u*", "heute") != nil)
        #expect(try match("*q*", "heute") == nil)
        #expect(try match("x", "x y") != nil)
        #expect(try match("x", "xy") == nil)
    }

    @Test func phrasesOpenAtBothEnds() throws {
        let evidence = try match("\"*russland nato rat*\"", "Weißrussland-Nato-Ratssitzung vertagt")
        #expect(evidence == [MatchEvidence(term: "*russland nato rat*", field: "title", text: "Weißrussland-Nato-Ratssitzung")])
        #expect(try match("\"*russland nato rat*\"", "Weißrussland-Nato-Beirat") == nil)
        #expect(try match("\"*russland nato rat*\"", "Weißrussland und Nato-Rat") == nil)
        #expect(try match("\"nato nato nato\"", "nato nato") == nil)
        #expect(try match("\"nato nato\"", "Nato, Nato!") != nil)
    }
}

/// An automaton too large for 16-bit state numbers takes the 32-bit tables and matches the same.
struct LargeAutomatonTests {
    @Test func moreThan65536StatesStillMatch() throws {
        var rng = SeededRandom(seed: 11)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let words = (0..<6_000).map { _ in String((0..<16).map { _ in letters.randomElement(using: &rng)! }) }
        let rules = try RuleSet(topics: [
            TopicDefinition(id: "many", title: "Many", rule: words.joined(separator: " OR ")),
            TopicDefinition(id: "last", title: "Last", rule: "\(words[5_999].dropLast(3))* AND zebra"),
        ])
        #expect(rules.automatonSize.states > 1 << 16)
        let text = ItemText(title: "Heute \(words[4_321].uppercased()) und \(words[5_999]) zebra", summary: "", content: "", categories: [])
        let found = rules.match(text)
        #expect(found.map(\.topicID) == ["many", "last"])
        #expect(found.first?.evidence.map(\.term) == [words[4_321], words[5_999]])
        #expect(rules.match(ItemText(title: "Heute \(words[4_321].dropLast()) zebra", summary: "", content: "", categories: [])).isEmpty)
    }
}
