import NewsModel
import Testing
import TopicRules

/// Named parts: `name = rule` in `[define]`, used as `@name` in any rule or part.
struct RulePartTests {
    static let parts = [
        RuleDefinition(name: "russia", rule: "russland* OR russia OR moskau"),
        RuleDefinition(name: "troops", rule: "truppen* OR troops"),
        RuleDefinition(name: "border", rule: "(grenze* OR border) NEAR/4 *ukrain*"),
        RuleDefinition(name: "who-what", rule: "@russia AND @troops"),
    ]

    func topics(_ rules: [String: String]) -> [TopicDefinition] {
        rules.sorted { $0.key < $1.key }.map { TopicDefinition(id: $0.key, title: "", rule: $0.value, definitions: Self.parts) }
    }

    func problems(_ rule: String, parts: [RuleDefinition] = parts) -> [RuleProblem] {
        do {
            _ = try RuleSet(topics: [TopicDefinition(id: "t", title: "", rule: rule, definitions: parts)])
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aReferenceMatchesLikeItsRuleInParentheses() throws {
        let rules = try RuleSet(topics: topics([
            "parts": "@who-what AND @border",
            "inline": "(russland* OR russia OR moskau) AND (truppen* OR troops) AND ((grenze* OR border) NEAR/4 *ukrain*)",
        ]))
        for title in ["Russland verlegt Truppen an die ukrainische Grenze", "Moskau: troops at the border with Ukraine",
                      "Russia: troops at the border", "Troops near Ukraine's border"] {
            let matched = rules.match(ItemText(title: title)).map(\.topicID)
            #expect(matched == [] || matched == ["inline", "parts"], "\(title)")
        }
        #expect(rules.match(ItemText(title: "Moskau: troops at the border with Ukraine")).map(\.topicID) == ["inline", "parts"])
    }

    @Test func aReferenceTakesTheFieldScopeWhereItStands() throws {
        let rules = try RuleSet(topics: topics(["t": "title:@russia AND @troops"]))
        #expect(rules.match(ItemText(title: "Moskau", summary: "Truppen")).count == 1)
        #expect(rules.match(ItemText(title: "Truppen", summary: "Moskau")).isEmpty)
    }

    /// A part is parsed once per field scope and reused (``RuleParser``'s memo): each use keeps its own scope.
    @Test func aPartUsedInSeveralScopesKeepsEachScope() throws {
        let rules = try RuleSet(topics: topics([
            "a": "title:@russia AND @troops",
            "b": "@russia AND title:@troops",
            "c": "@who-what OR summary:@who-what",
        ]))
        #expect(rules.match(ItemText(title: "Moskau", summary: "Truppen")).map(\.topicID) == ["a", "c"])
        #expect(rules.match(ItemText(title: "Truppen", summary: "Moskau")).map(\.topicID) == ["b", "c"])
        #expect(rules.match(ItemText(title: "x", summary: "Moskau Truppen")).map(\.topicID) == ["c"])
    }

    /// A part that nests fine where it is first used is still refused where it would nest too deeply.
    @Test func aPartTooDeepWhereItStandsIsRefusedThere() throws {
        let deep = RuleDefinition(name: "deep", rule: String(repeating: "(", count: 60) + "x" + String(repeating: ")", count: 60))
        let parts = Self.parts + [deep]
        let shallow = "@deep AND y"
        let nested = String(repeating: "(", count: 45) + "@deep" + String(repeating: ")", count: 45)
        for rules in [[shallow, nested], [nested, shallow]] {
            do {
                _ = try RuleSet(topics: rules.enumerated().map {
                    TopicDefinition(id: "t\($0.offset)", title: "", rule: $0.element, definitions: parts)
                })
                Issue.record("expected an error")
            } catch {
                #expect(error.problems.count == 1)
                let problem = try #require(error.problems.first)
                #expect(problem.topicID == "t\(rules.firstIndex(of: nested)!)")
                #expect(problem.message.contains("nested too deeply"))
            }
        }
        _ = try RuleSet(topics: [TopicDefinition(id: "t", title: "", rule: shallow, definitions: parts)])
    }

    @Test func aPartOfTermsCanStandBesideNear() throws {
        let rules = try RuleSet(topics: topics(["t": "@russia NEAR/3 @troops"]))
        #expect(rules.match(ItemText(title: "Moskau verlegt Truppen")).count == 1)
        #expect(rules.match(ItemText(title: "Moskau sagt, man werde keine weiteren Truppen senden")).isEmpty)
        let problem = try #require(problems("x OR @who-what NEAR/3 @troops").first)
        #expect((problem.part, problem.line, problem.column) == (nil, 1, 6))
        #expect(problem.message.contains("NEAR needs terms"))
    }

    @Test func anUnknownPartIsReportedWhereItIsUsed() {
        let found = problems("@russia AND\n  @russland")
        #expect(found.count == 1)
        #expect((found.first?.part, found.first?.line, found.first?.column) == (nil, 2, 3))
        #expect(found.first?.message.contains("unknown part '@russland'") == true)
        #expect(problems("@").first?.message.contains("name of a part") == true)
        #expect(problems("@1x").first?.message.contains("not a part name") == true)
    }

    @Test func aProblemInsideAPartPointsIntoThePartOnce() {
        let parts = Self.parts + [RuleDefinition(name: "broken", rule: "a OR\n  (b")]
        do {
            _ = try RuleSet(topics: [
                TopicDefinition(id: "t1", title: "", rule: "@broken", definitions: parts),
                TopicDefinition(id: "t2", title: "", rule: "x AND @broken", definitions: parts),
            ])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            let p = error.problems[0]
            #expect((p.part, p.line, p.column) == ("broken", 2, 3))
            #expect(p.message.contains("unclosed '('"))
        }
        // Checked even when no topic uses it.
        #expect(throws: RuleSetError.self) { try RuleSet(topics: [], definitions: parts) }
    }

    @Test func cyclesAreRefused() {
        let parts = [
            RuleDefinition(name: "a", rule: "x OR @b"),
            RuleDefinition(name: "b", rule: "y AND @a"),
            RuleDefinition(name: "self", rule: "z OR @self"),
        ]
        let found = problems("@a", parts: parts)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.message.contains("cycle") })
        #expect(found.contains { $0.part == "b" && $0.message.contains("@a → @b → @a") })
        #expect(found.contains { $0.part == "self" && ($0.line, $0.column) == (1, 6) })
    }

    @Test func partsExplainWhatHeldAndWhatDidNot() throws {
        let rules = try RuleSet(topics: topics(["t": "@russia AND @troops # who, what\n AND NOT (nato NEAR/2 troops)"]))
        let outcomes = try #require(rules.explainParts(ItemText(title: "Russia and NATO troops"), topicID: "t"))
        #expect(outcomes.map(\.label) == ["@russia", "@troops", "NOT (nato NEAR/2 troops)"])
        #expect(outcomes.map(\.holds) == [true, true, false])
        #expect(outcomes[2].evidence.map(\.text) == ["NATO", "troops"])
        let missed = try #require(rules.explainParts(ItemText(title: "Moskau droht"), topicID: "t"))
        #expect(missed.map(\.holds) == [true, false, true])
        #expect(rules.explainParts(ItemText(title: "x"), topicID: "nope") == nil)
    }
}
