import Testing

@testable import TopicRules

/// The necessary conditions the matcher uses to pick candidate topics (``RuleProgram/requirements(_:)``).
struct RuleRequirementsTests {
    /// Requirements of `rule` with every pattern shown as its display text, groups and branches sorted.
    func requirements(_ rule: String) throws -> [[[String]]]? {
        var program = RuleProgram()
        var patterns: [TermPattern] = []
        let root = program.add(try RuleParser.parse(rule)) { p in
            if let i = patterns.firstIndex(of: p) { return Int32(i) }
            patterns.append(p)
            return Int32(patterns.count - 1)
        }
        return program.requirements(root).map { branches in
            branches.map { groups in groups.map { $0.map { patterns[Int($0)].display }.sorted() }.sorted { $0.lexicographicallyPrecedes($1) } }
                .sorted { $0.description < $1.description }
        }
    }

    @Test func andOfAlternativesIsOneBranchOfGroups() throws {
        #expect(try requirements("(a OR b) AND (c OR d) AND NOT e") == [[["a", "b"], ["c", "d"]]])
    }

    @Test func orOfBranchesKeepsThemApart() throws {
        #expect(try requirements("(a AND b) OR (f NEAR/5 g)") == [[["a"], ["b"]], [["f"], ["g"]]])
        #expect(try requirements("a OR b OR c") == [[["a", "b", "c"]]])
    }

    @Test func notAloneRequiresNothing() throws {
        #expect(try requirements("NOT a") == nil)
        #expect(try requirements("a OR NOT b") == nil)
        #expect(try requirements("NOT a AND NOT b") == nil)
    }

    @Test func crossProductsBeyondEightBranchesMerge() throws {
        // 3 × 3 = 9 branches would exceed 8: the second operand merges into one group.
        let r = try #require(try requirements("((a AND b) OR (c AND d) OR (e AND f)) AND ((g AND h) OR (i AND j) OR (k AND l))"))
        #expect(r.count == 3)
        #expect(r.allSatisfy { $0.contains(["g", "i", "k"]) })
    }

    @Test func atMostEightGroupsPerBranchTheSmallestKept() throws {
        let rule = (1...9).map { "x\($0)" }.joined(separator: " AND ") + " AND (y1 OR y2 OR y3)"
        let r = try #require(try requirements(rule))
        #expect(r.count == 1 && r[0].count == 8)
        #expect(!r[0].contains(["y1", "y2", "y3"]))
    }
}
