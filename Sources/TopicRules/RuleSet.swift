public import NewsModel

/// All topics of a configuration compiled into one matcher.
///
/// Every term of every topic goes into one Aho-Corasick automaton over the normalized words of
/// an item, so matching costs O(text) whatever the number of topics; only topics with a hit (or
/// a rule that can match without one, such as `NOT x`) are evaluated afterwards.
public struct RuleSet: Sendable {
    struct CompiledTopic: Sendable {
        var id: String
        /// The rule's root in ``program``.
        var root: Int32
        /// The rule's top-level parts (see ``RuleParser/Parsed``) and their roots in ``program``,
        /// evaluated one by one only to explain a decision.
        var parts: [(label: String, root: Int32)]
    }

    let topics: [CompiledTopic]
    /// The rules of all topics; term leaves refer to patterns of the shared automaton.
    let program: RuleProgram
    /// Distinct patterns of all topics.
    let patterns: [TermPattern]
    /// `patterns[i].display`, precomputed for explanations.
    let patternDisplays: [String]
    /// The number of words each pattern spans minus one.
    let patternExtraWords: [Int32]
    /// The requirement branches anchored at pattern p (see ``RuleProgram/requirements(_:)``):
    /// `patternBranchList[patternBranchStart[p] ..< patternBranchStart[p + 1]]`.
    let patternBranchStart: [Int32]
    let patternBranchList: [Int32]
    /// For each branch: its topic, and its groups other than the anchor,
    /// `branchGroupStart[b] ..< branchGroupStart[b + 1]`, each group's patterns
    /// `groupPatterns[groupPatternStart[g] ..< groupPatternStart[g + 1]]`.
    let branchTopic: [Int32]
    let branchGroupStart: [Int32]
    let groupPatternStart: [Int32]
    let groupPatterns: [Int32]
    /// Topics evaluated on every item: their rule may hold without any hit (e.g. `NOT x`).
    let topicsMatchingWithoutHits: [Int32]
    let automaton: PatternAutomaton
    /// Working memory for ``match(_:)``, one per concurrent call.
    let scratchPool: MatchScratchPool

    /// Compiles every topic; throws all syntax errors at once.
    ///
    /// A rule may refer to the named parts of its topic's ``TopicDefinition/definitions`` and of
    /// `definitions` as `@name`; every part is checked, used or not, and a problem inside a part is
    /// reported once, however many topics use it.
    ///
    /// - Parameters:
    ///   - topics: The topics in configuration order.
    ///   - definitions: Further named parts, checked even when no topic uses them. The default is none.
    /// - Throws: ``RuleSetError`` listing one ``RuleProblem`` per faulty rule or part, positions inside
    ///   the rule or part.
    public init(topics: [TopicDefinition], definitions: [RuleDefinition] = []) throws(RuleSetError) {
        var problems: [RuleProblem] = []
        var known: [String: String] = [:]
        var parts: [RuleDefinition] = []
        for definition in definitions + topics.flatMap(\.definitions) where known[definition.name] == nil {
            known[definition.name] = definition.rule
            parts.append(definition)
        }
        func record(_ error: RuleSyntaxError, topic: String) {
            let problem = RuleProblem(topicID: topic, part: error.part, line: error.line, column: error.column, message: error.message)
            // A problem inside a part is the same for every topic that uses it.
            if problem.part == nil || !problems.contains(where: { $0.part == problem.part && $0.line == problem.line && $0.column == problem.column && $0.message == problem.message }) {
                problems.append(problem)
            }
        }
        let memo = RuleParser.Memo()
        for part in parts {
            do {
                try RuleParser.checkPart(part.name, rule: part.rule, definitions: known, memo: memo)
            } catch {
                var located = error
                if located.part == nil { located.part = part.name }
                record(located, topic: "")
            }
        }
        var parsed: [(String, RuleParser.Parsed)] = []
        for topic in topics {
            do {
                parsed.append((topic.id, try RuleParser.parseWithParts(topic.rule, definitions: known, memo: memo)))
            } catch {
                record(error, topic: topic.id)
            }
        }
        guard problems.isEmpty else { throw RuleSetError(problems: problems) }

        var patternIndex: [TermPattern: Int32] = [:]
        var patterns: [TermPattern] = []
        var program = RuleProgram()
        var compiled: [CompiledTopic] = []
        func patternID(_ p: TermPattern) -> Int32 {
            if let known = patternIndex[p] { return known }
            patterns.append(p)
            patternIndex[p] = Int32(patterns.count - 1)
            return Int32(patterns.count - 1)
        }
        for (id, rule) in parsed {
            // A rule's parts are the operands of its root (its OR alternatives, or its one alternative's AND operands):
            // they are explained from the root's own nodes, not from a second copy of them.
            let (root, operands) = program.addWithOperands(rule.expression, pattern: patternID)
            assert(rule.partLabels.isEmpty || rule.partLabels.count == operands.count, "parts are the root's operands")
            compiled.append(CompiledTopic(id: id, root: root, parts: zip(rule.partLabels, operands).map { (label: $0, root: $1) }))
        }
        // Each requirement branch waits on one group, its anchor: the group whose words the fewest
        // topics use. A word many topics need ("minister", "talks") is likely common in any text, a
        // word one topic needs (a name) is likely rare, so the anchor rarely hits and the other
        // groups are checked only then.
        let requirements = compiled.map { program.requirements($0.root) }
        var topicsUsing = [Int32](repeating: 0, count: patterns.count)
        for branches in requirements.compactMap({ $0 }) {
            for p in Set(branches.joined().joined()) { topicsUsing[Int(p)] += 1 }
        }
        var patternBranches = [[Int32]](repeating: [], count: patterns.count)
        var branchTopic: [Int32] = []
        var branchGroupStart: [Int32] = [0]
        var groupPatternStart: [Int32] = [0]
        var groupPatterns: [Int32] = []
        var always: [Int32] = []
        for (i, branches) in requirements.enumerated() {
            guard let branches else {
                always.append(Int32(i))
                continue
            }
            for groups in branches {
                let cost = groups.map { ($0.reduce(0) { $0 + Int(topicsUsing[Int($1)]) }, $0.count) }
                let anchor = cost.indices.min { cost[$0] < cost[$1] }!
                for p in groups[anchor] { patternBranches[Int(p)].append(Int32(branchTopic.count)) }
                branchTopic.append(Int32(i))
                for (g, group) in groups.enumerated() where g != anchor {
                    groupPatterns += group
                    groupPatternStart.append(Int32(groupPatterns.count))
                }
                branchGroupStart.append(Int32(groupPatternStart.count - 1))
            }
        }
        self.topics = compiled
        self.program = program
        self.patterns = patterns
        self.patternDisplays = patterns.map(\.display)
        self.patternExtraWords = patterns.map { Int32($0.words.count - 1) }
        self.patternBranchStart = patternBranches.reduce(into: [0]) { $0.append($0.last! + Int32($1.count)) }
        self.patternBranchList = patternBranches.flatMap { $0 }
        self.branchTopic = branchTopic
        self.branchGroupStart = branchGroupStart
        self.groupPatternStart = groupPatternStart
        self.groupPatterns = groupPatterns
        self.scratchPool = MatchScratchPool(patternCount: patterns.count, topicCount: compiled.count)
        self.topicsMatchingWithoutHits = always
        self.automaton = PatternAutomaton(patterns: patterns.map(\.automatonBytes))
    }

    /// The topic ids, in configuration order.
    public var topicIDs: [String] { topics.map(\.id) }

    /// The number of distinct patterns and automaton states (for benchmarks and diagnostics).
    public var automatonSize: (patterns: Int, states: Int) { (patterns.count, automaton.stateCount) }
}

/// One topic that matched, and why.
public struct TopicMatch: Sendable, Hashable {
    /// The `id` of the topic in feeds.conf.
    public var topicID: String
    /// The terms that hit, in the order of the fields (title, summary, content, categories) and of the text.
    public var evidence: [MatchEvidence]

    public init(topicID: String, evidence: [MatchEvidence]) {
        self.topicID = topicID
        self.evidence = evidence
    }
}

/// The syntax errors of one or more rules.
public struct RuleSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem per faulty rule, in configuration order.
    public var problems: [RuleProblem]
    public init(problems: [RuleProblem]) { self.problems = problems }

    public var description: String {
        problems.map { problem in
            let place = problem.part.map { "part '@\($0)'" } ?? "topic '\(problem.topicID)'"
            return "\(place) \(problem.line):\(problem.column): \(problem.message)"
        }.joined(separator: "\n")
    }
}

/// One rule syntax error: the topic, the position inside the rule (1-based), and what is wrong.
public struct RuleProblem: Sendable, Hashable {
    /// The topic whose rule has the problem; empty for a problem inside a part that no topic
    /// had reached yet.
    public var topicID: String
    /// The named part (``RuleDefinition/name``) whose text ``line`` and ``column`` point into,
    /// or nil when they point into the topic's own rule.
    public var part: String?
    /// Line inside the rule text, 1-based.
    public var line: Int
    /// Column inside the rule text, 1-based, counted in Unicode scalars.
    public var column: Int
    public var message: String

    public init(topicID: String, part: String? = nil, line: Int, column: Int, message: String) {
        self.topicID = topicID
        self.part = part
        self.line = line
        self.column = column
        self.message = message
    }

    /// The position in the enclosing file, given where the rule text starts there.
    ///
    /// - Parameters:
    ///   - ruleLine: The file line of the rule's first character (1-based).
    ///   - ruleColumn: The file column of the rule's first character (1-based).
    public func filePosition(ruleLine: Int, ruleColumn: Int) -> (line: Int, column: Int) {
        line == 1 ? (ruleLine, ruleColumn + column - 1) : (ruleLine + line - 1, column)
    }
}

extension RuleSet {
    /// Whether `name` can name a part (`[define]`): ASCII letters, digits, `-` and `_`, starting with a letter.
    public static func isPartName(_ name: String) -> Bool { RuleLexer.isPartName(name) }
}
