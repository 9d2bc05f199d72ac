import NewsModel
import Testing
import TopicRules

/// One rule against one text: does it match?
struct OperatorCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var title: String
    var summary: String = ""
    var categories: [String] = []
    var matches: Bool
    var testDescription: String { "\(rule) ~ \(title) → \(matches)" }
}

func matches(_ rule: String, _ text: ItemText) throws -> [TopicMatch] {
    let rules = try RuleSet(topics: [TopicDefinition(id: "t", title: "T", rule: rule)])
    return rules.match(text)
}

struct RuleOperatorTests {
    static let cases: [OperatorCase] = [
        // term: whole words only, case and accent insensitive
        .init(rule: "rat", title: "Der Rat tagt", matches: true),
        .init(rule: "rat", title: "Der Stadtrat tagt", matches: false),
        .init(rule: "rat", title: "Der Rate-Abend", matches: false),
        .init(rule: "Brüssel", title: "BRUESSEL heute", matches: true),
        .init(rule: "bruessel", title: "In Brüssel", matches: true),
        .init(rule: "cafe", title: "Im Café", matches: true),
        // phrase: consecutive words; dashes are word boundaries
        .init(rule: "\"nato russland rat\"", title: "Der Nato-Russland-Rat tagt", matches: true),
        .init(rule: "\"nato russland rat\"", title: "Nato und Russland: Rat tagt", matches: false),
        .init(rule: "\"NATO–Russia Council\"", title: "the NATO-Russia council met", matches: true),
        .init(rule: "„Nato-Russland-Rat“", title: "Nato-Russland-Rat", matches: true),
        .init(rule: "Nato-Russland-Rat", title: "NATO Russland Rat", matches: true),
        .init(rule: "\"russia s troops\"", title: "Russia’s troops", matches: true),
        // prefix
        .init(rule: "truppen*", title: "Truppenaufmarsch", matches: true),
        .init(rule: "truppen*", title: "Truppen", matches: true),
        .init(rule: "truppen*", title: "Bundestruppen", matches: false),
        // suffix
        .init(rule: "*aufmarsch", title: "Militäraufmarsch", matches: true),
        .init(rule: "*aufmarsch", title: "Militäraufmarsches", matches: false),
        .init(rule: "*aufmarsch", title: "Aufmarsch", matches: true),
        // infix
        .init(rule: "*aufmarsch*", title: "des Truppenaufmarsches", matches: true),
        .init(rule: "*aufmarsch*", title: "Auf Marsch", matches: false),
        .init(rule: "\"*aufmarsch an der grenze\"", title: "Truppenaufmarsch an der Grenze", matches: true),
        .init(rule: "\"nato russland rat*\"", title: "des Nato-Russland-Rates", matches: true),
        // AND, implicit AND
        .init(rule: "nato AND russland", title: "Nato warnt Russland", matches: true),
        .init(rule: "nato russland", title: "Nato warnt Russland", matches: true),
        .init(rule: "nato russland", title: "Nato warnt", matches: false),
        // OR
        .init(rule: "moskau OR moscow", title: "Moscow says", matches: true),
        .init(rule: "moskau OR moscow", title: "Kiew sagt", matches: false),
        // NOT
        .init(rule: "rat NOT europarat", title: "Rat und Europarat", matches: false),
        .init(rule: "rat NOT europarat", title: "Der Rat", matches: true),
        .init(rule: "NOT europarat", title: "Anything", matches: true),
        .init(rule: "rat AND NOT (stadt OR city)", title: "city rat", matches: false),
        // precedence: AND binds tighter than OR
        .init(rule: "a b OR c", title: "c", matches: true),
        .init(rule: "a b OR c", title: "a", matches: false),
        .init(rule: "a (b OR c)", title: "c", matches: false),
        .init(rule: "a (b OR c)", title: "a c", matches: true),
        // NEAR/n: within n words, either order
        .init(rule: "truppen NEAR/3 grenze", title: "Truppen an der Grenze", matches: true),
        .init(rule: "truppen NEAR/2 grenze", title: "Truppen an der Grenze", matches: false),
        .init(rule: "truppen NEAR/3 grenze", title: "Grenze: mehr Truppen", matches: true),
        .init(rule: "troops NEAR/1 massing", title: "massing troops", matches: true),
        .init(rule: "(truppen OR soldaten) NEAR/2 grenz*", title: "Soldaten zur Grenzregion", matches: true),
        .init(rule: "truppen NEAR/3 grenze", title: "Truppen", summary: "an der Grenze", matches: false),
        .init(rule: "(a NEAR/1 b) NEAR/1 c", title: "a b c", matches: true),
        .init(rule: "(a NEAR/1 b) NEAR/1 c", title: "a b x c", matches: false),
        // field scopes
        .init(rule: "title:nato", title: "Nato", matches: true),
        .init(rule: "title:nato", title: "x", summary: "Nato", matches: false),
        .init(rule: "summary:(nato OR russland)", title: "x", summary: "Russland", matches: true),
        .init(rule: "content:nato", title: "Nato", summary: "Nato", matches: false),
        .init(rule: "category:ausland", title: "x", categories: ["Inland", "Ausland"], matches: true),
        .init(rule: "category:\"inland ausland\"", title: "x", categories: ["Inland", "Ausland"], matches: false),
        .init(rule: "title:(nato NOT gipfel)", title: "Nato", summary: "Gipfel", matches: true),
        // comments
        .init(rule: "nato # the alliance\nAND russland", title: "Nato Russland", matches: true),
    ]

    @Test(arguments: cases)
    func operatorMatches(_ c: OperatorCase) throws {
        let text = ItemText(title: c.title, summary: c.summary, categories: c.categories)
        #expect(try !matches(c.rule, text).isEmpty == c.matches)
    }

    @Test func evidenceNamesTermFieldAndSurfaceText() throws {
        let text = ItemText(
            title: "Nato-Russland-Rat tagt",
            summary: "Truppenaufmarsches an der Grenze; NATO–Russia Council",
            categories: ["Ausland"]
        )
        let result = try matches("\"nato russland rat\" OR (*aufmarsch* NEAR/5 grenze) OR \"nato russia council\" OR category:ausland", text)
        #expect(result.count == 1)
        #expect(result.first?.evidence == [
            MatchEvidence(term: "nato russland rat", field: "title", text: "Nato-Russland-Rat"),
            MatchEvidence(term: "*aufmarsch*", field: "summary", text: "Truppenaufmarsches"),
            MatchEvidence(term: "grenze", field: "summary", text: "Grenze"),
            MatchEvidence(term: "nato russia council", field: "summary", text: "NATO–Russia Council"),
            MatchEvidence(term: "ausland", field: "category", text: "Ausland"),
        ])
    }

    @Test func notContributesNoEvidenceAndFailedBranchesNone() throws {
        let text = ItemText(title: "Nato tagt ohne Russland")
        let result = try matches("nato NOT gipfel OR (russland AND gipfel)", text)
        #expect(result.first?.evidence == [MatchEvidence(term: "nato", field: "title", text: "Nato")])
    }

    @Test func topicsComeBackInConfigurationOrder() throws {
        let topics = (0..<50).map { TopicDefinition(id: "t\($0)", title: "", rule: $0 % 2 == 0 ? "nato" : "russland OR ukraine") }
        let rules = try RuleSet(topics: topics)
        let ids = rules.match(ItemText(title: "Nato und Russland")).map(\.topicID)
        #expect(ids == topics.map(\.id))
        #expect(rules.match(ItemText(title: "Ukraine")).map(\.topicID) == topics.indices.filter { $0 % 2 == 1 }.map { "t\($0)" })
    }
}
