import NewsModel
import Testing
import TopicRules

struct RuleSyntaxCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { rule.count > 60 ? String(rule.prefix(60)) + "…" : rule }
}

struct RuleSyntaxErrorTests {
    static let cases: [RuleSyntaxCase] = [
        .init(rule: "", line: 1, column: 1, message: "empty rule"),
        .init(rule: "  # only a comment\n", line: 1, column: 1, message: "empty rule"),
        .init(rule: "nato AND", line: 1, column: 9, message: "rule ends where a term was expected"),
        .init(rule: "nato OR (russland", line: 1, column: 9, message: "unclosed '('"),
        .init(rule: "(a OR (b c)", line: 1, column: 1, message: "unclosed '('"),
        .init(rule: "nato)", line: 1, column: 5, message: "unbalanced ')'"),
        .init(rule: "nato\n  AND \"russland rat", line: 2, column: 7, message: "unterminated phrase"),
        .init(rule: "nato NEAR russland", line: 1, column: 6, message: "NEAR needs a word distance"),
        .init(rule: "nato NEAR/0 russland", line: 1, column: 6, message: "between 1 and 100"),
        .init(rule: "(a AND b) NEAR/3 c", line: 1, column: 1, message: "NEAR needs terms"),
        .init(rule: "a NEAR/3 NOT b", line: 1, column: 10, message: "NEAR needs terms"),
        .init(rule: "tru*pen", line: 1, column: 1, message: "'*' is allowed only"),
        .init(rule: "x OR \"a * b\"", line: 1, column: 6, message: "'*' is allowed only"),
        .init(rule: "x OR -- ", line: 1, column: 6, message: "has no letters or digits"),
        .init(rule: "a OR \"\"", line: 1, column: 6, message: "empty phrase"),
        .init(rule: "nato or russland", line: 1, column: 6, message: "'or' is not an operator"),
        .init(rule: "headline:nato", line: 1, column: 1, message: "unknown field 'headline'"),
        .init(rule: "title: OR x", line: 1, column: 8, message: "'title:' must be followed"),
        .init(rule: "a ()", line: 1, column: 4, message: "empty parentheses"),
        .init(rule: "a\n\n   OR OR b", line: 3, column: 7, message: "expected a term"),
        // Matching recurses over the rule: nesting is bounded (100 levels), a hostile file cannot crash it.
        .init(rule: String(repeating: "(", count: 100_000) + "nato" + String(repeating: ")", count: 100_000), line: 1, column: 101, message: "nested too deeply"),
        .init(rule: String(repeating: "NOT ", count: 100_000) + "nato", line: 1, column: 401, message: "nested too deeply"),
        .init(rule: "a" + String(repeating: " NEAR/1 a", count: 101), line: 1, column: 903, message: "nested too deeply"),
        .init(rule: String(repeating: "title:", count: 50_000) + "nato", line: 1, column: 601, message: "nested too deeply"),
    ]

    @Test func hundredLevelsOfNestingAreAccepted() throws {
        let rule = String(repeating: "(", count: 99) + "NOT x" + String(repeating: ")", count: 99)
        let rules = try RuleSet(topics: [TopicDefinition(id: "t", title: "", rule: rule)])
        #expect(rules.match(ItemText(title: "nato")).map(\.topicID) == ["t"])
    }

    @Test(arguments: cases)
    func reportsPositionInsideTheRule(_ c: RuleSyntaxCase) {
        #expect(throws: RuleSetError.self) {
            try RuleSet(topics: [TopicDefinition(id: "t", title: "", rule: c.rule)])
        }
        do {
            _ = try RuleSet(topics: [TopicDefinition(id: "t", title: "", rule: c.rule)])
        } catch {
            #expect(error.problems.count == 1)
            let p = error.problems[0]
            #expect(p.topicID == "t")
            #expect((p.line, p.column) == (c.line, c.column), "\(p.message)")
            #expect(p.message.contains(c.message), "\(p.message)")
        }
    }

    @Test func reportsEveryFaultyTopicAtOnce() {
        let topics = [
            TopicDefinition(id: "ok", title: "", rule: "nato"),
            TopicDefinition(id: "bad1", title: "", rule: "nato AND"),
            TopicDefinition(id: "bad2", title: "", rule: "(x"),
        ]
        do {
            _ = try RuleSet(topics: topics)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.topicID) == ["bad1", "bad2"])
        }
    }

    @Test func mapsRulePositionsIntoTheFile() {
        let p = RuleProblem(topicID: "t", line: 1, column: 5, message: "")
        #expect(p.filePosition(ruleLine: 10, ruleColumn: 9) == (10, 13))
        let q = RuleProblem(topicID: "t", line: 3, column: 5, message: "")
        #expect(q.filePosition(ruleLine: 10, ruleColumn: 9) == (12, 5))
    }
}
