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
    /// The requirement groups pattern p belongs to (see ``RuleProgram/requirements(_:)``):
    /// `patternGroupList[patternGroupStart[p] ..< patternGroupStart[p + 1]]`, each entry
    /// `branch << 6 | group << 3 | (groups in the branch - 1)`.
    let patternGroupStart: [Int32]
    let patternGroupList: [UInt32]
    /// The topic of each requirement branch.
    let branchTopic: [Int32]
    /// Topics evaluated on every item: their rule may hold without any hit (e.g. `NOT x`).
    let topicsMatchingWithoutHits: [Int32]
    let automaton: PatternAutomaton
    /// Working memory for ``match(_:)``, one per concurrent call.
    let scratchPool: MatchScratchPool

    /// Compiles every topic; throws all syntax errors at once.
    ///
    /// - Parameter topics: The topics in configuration order.
    /// - Throws: ``RuleSetError`` listing one ``RuleProblem`` per faulty rule, positions inside the rule.
    public init(topics: [TopicDefinition]) throws(RuleSetError) {
        var problems: [RuleProblem] = []
        var parsed: [(String, RuleExpression)] = []
        for topic in topics {
            do {
                parsed.append((topic.id, try RuleParser.parse(topic.rule)))
            } catch {
                problems.append(RuleProblem(topicID: topic.id, line: error.line, column: error.column, message: error.message))
            }
        }
        guard problems.isEmpty else { throw RuleSetError(problems: problems) }

        var patternIndex: [TermPattern: Int32] = [:]
        var patterns: [TermPattern] = []
        var program = RuleProgram()
        var compiled: [CompiledTopic] = []
        for (id, expression) in parsed {
            let root = program.add(expression) { p in
                if let known = patternIndex[p] { return known }
                patterns.append(p)
                patternIndex[p] = Int32(patterns.count - 1)
                return Int32(patterns.count - 1)
            }
            compiled.append(CompiledTopic(id: id, root: root))
        }
        var patternGroups = [[UInt32]](repeating: [], count: patterns.count)
        var branchTopic: [Int32] = []
        var always: [Int32] = []
        for (i, topic) in compiled.enumerated() {
            guard let branches = program.requirements(topic.root) else {
                always.append(Int32(i))
                continue
            }
            for groups in branches {
                let branch = UInt32(branchTopic.count)
                branchTopic.append(Int32(i))
                for (g, group) in groups.enumerated() {
                    for p in group { patternGroups[Int(p)].append(branch << 6 | UInt32(g) << 3 | UInt32(groups.count - 1)) }
                }
            }
        }
        self.topics = compiled
        self.program = program
        self.patterns = patterns
        self.patternDisplays = patterns.map(\.display)
        self.patternExtraWords = patterns.map { Int32($0.words.count - 1) }
        self.patternGroupStart = patternGroups.reduce(into: [0]) { $0.append($0.last! + Int32($1.count)) }
        self.patternGroupList = patternGroups.flatMap { $0 }
        self.branchTopic = branchTopic
        self.scratchPool = MatchScratchPool(patternCount: patterns.count, topicCount: compiled.count, branchCount: branchTopic.count)
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
        problems.map { "topic '\($0.topicID)' \($0.line):\($0.column): \($0.message)" }.joined(separator: "\n")
    }
}

/// One rule syntax error: the topic, the position inside the rule (1-based), and what is wrong.
public struct RuleProblem: Sendable, Hashable {
    public var topicID: String
    /// Line inside the rule text, 1-based.
    public var line: Int
    /// Column inside the rule text, 1-based, counted in Unicode scalars.
    public var column: Int
    public var message: String

    public init(topicID: String, line: Int, column: Int, message: String) {
        self.topicID = topicID
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
