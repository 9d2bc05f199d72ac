import NewsModel
import NewsTestSupport
import Testing
import TextNormalization
import TopicRules

/// The matcher evaluates a topic only when one of its requirement branches is complete, and keeps
/// per-call state in pooled scratch space: both must be invisible in the results.
struct MatcherCandidateTests {
    /// Rules wide enough to exceed the limits on branches and groups, so the merged (weaker)
    /// requirements are used, compared with the naive reference evaluator.
    @Test(arguments: [UInt64(7), 99, 31337])
    func wideRulesAgreeWithNaiveReference(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        func term() -> ReferenceRule { AutomatonReferenceTests.randomTerm(&rng, positional: false) }
        var rules: [ReferenceRule] = []
        for _ in 0..<30 {
            // An OR of 10 ANDs (10 branches), an AND of 12 terms (12 groups), and an AND of ORs of
            // ANDs (3 × 3 × 3 = 27 branches before merging), with a NOT beside.
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: rules.append(.or((0..<10).map { _ in .and([term(), term()]) }))
            case 1: rules.append(.and((0..<12).map { _ in Bool.random(using: &rng) ? term() : .or([term(), term()]) }))
            default:
                rules.append(.and((0..<3).map { _ in .or((0..<3).map { _ in .and([term(), term()]) }) } + [.not(term())]))
            }
        }
        let topics = rules.enumerated().map { TopicDefinition(id: "w\($0.offset)", title: "", rule: $0.element.source) }
        let ruleSet = try RuleSet(topics: topics)
        var matched = 0
        for _ in 0..<150 {
            let text = ItemText(
                title: AutomatonReferenceTests.randomText(&rng, words: Int.random(in: 0...10, using: &rng)),
                summary: AutomatonReferenceTests.randomText(&rng, words: Int.random(in: 0...30, using: &rng)),
                content: AutomatonReferenceTests.randomText(&rng, words: Int.random(in: 0...60, using: &rng)),
                categories: []
            )
            let fields: [(String, [String])] = [
                ("title", TextNormalizer.words(in: text.title)),
                ("summary", TextNormalizer.words(in: text.summary)),
                ("content", TextNormalizer.words(in: text.content)),
            ]
            let expected = rules.enumerated().filter { $0.element.holds(fields) }.map { "w\($0.offset)" }
            #expect(ruleSet.match(text).map(\.topicID) == expected, "seed \(seed): \(text)")
            matched += expected.count
        }
        #expect(matched > 0)
    }

    /// A topic whose context words hit in every item is evaluated only with its names present.
    @Test func contextWordsAloneDoNotMatch() throws {
        let rules = try RuleSet(topics: [
            TopicDefinition(id: "summit", title: "", rule: "(stoltenberg OR rutte) AND (nato OR alliance) AND NOT sport"),
            TopicDefinition(id: "either", title: "", rule: "(rutte AND minister) OR (alliance NEAR/2 talks)"),
        ])
        #expect(rules.match(ItemText(title: "Nato alliance meets", summary: "", content: "", categories: [])).isEmpty)
        #expect(rules.match(ItemText(title: "Rutte at the Nato", summary: "", content: "", categories: [])).map(\.topicID) == ["summit"])
        #expect(rules.match(ItemText(title: "Alliance holds talks", summary: "", content: "", categories: [])).map(\.topicID) == ["either"])
        #expect(rules.match(ItemText(title: "Rutte, the minister", summary: "sport", content: "", categories: [])).map(\.topicID) == ["either"])
    }

    /// Concurrent calls each get their own scratch space: results equal the serial ones.
    @Test func concurrentMatchingEqualsSerial() async throws {
        var rng = SeededRandom(seed: 5)
        let rules = (0..<40).map { _ in AutomatonReferenceTests.randomRule(&rng, depth: 3) }
        let ruleSet = try RuleSet(topics: rules.enumerated().map { TopicDefinition(id: "c\($0.offset)", title: "", rule: $0.element.source) })
        let items = (0..<200).map { _ in
            ItemText(
                title: AutomatonReferenceTests.randomText(&rng, words: 8),
                summary: AutomatonReferenceTests.randomText(&rng, words: 20),
                content: AutomatonReferenceTests.randomText(&rng, words: 30),
                categories: [AutomatonReferenceTests.randomText(&rng, words: 2)]
            )
        }
        let serial = items.map { ruleSet.match($0) }
        let parallel = await withTaskGroup(of: (Int, [TopicMatch]).self) { group in
            for (i, item) in items.enumerated() {
                group.addTask { (i, ruleSet.match(item)) }
            }
            var result = [[TopicMatch]](repeating: [], count: items.count)
            for await (i, matches) in group { result[i] = matches }
            return result
        }
        #expect(parallel == serial)
        #expect(serial.contains { !$0.isEmpty })
    }
}
