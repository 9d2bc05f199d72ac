public import NewsModel

/// All topics of a configuration compiled into one matcher.
public struct RuleSet: Sendable {
    /// Compiles every topic; throws all syntax errors at once.
    public init(topics: [TopicDefinition]) throws(RuleSetError) {
        throw RuleSetError(problems: [])
    }

    /// The topics `text` matches, each with its evidence, in configuration order.
    public func match(_ text: ItemText) -> [TopicMatch] { [] }
}

/// One topic that matched, and why.
public struct TopicMatch: Sendable, Hashable {
    public var topicID: String
    public var evidence: [MatchEvidence]

    public init(topicID: String, evidence: [MatchEvidence]) {
        self.topicID = topicID
        self.evidence = evidence
    }
}

/// The syntax errors of one or more rules.
public struct RuleSetError: Error, Sendable, Hashable {
    public var problems: [RuleProblem]
    public init(problems: [RuleProblem]) { self.problems = problems }
}

/// One rule syntax error: the topic, the position inside the rule (1-based), and what is wrong.
public struct RuleProblem: Sendable, Hashable {
    public var topicID: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(topicID: String, line: Int, column: Int, message: String) {
        self.topicID = topicID
        self.line = line
        self.column = column
        self.message = message
    }
}
