public import NewsModel
public import TopicRules

/// A configuration ready to run: feeds.conf plus its rules compiled into one ``TopicRules/RuleSet``.
public struct MonitorRuntime: Sendable {
    /// The configuration as loaded.
    public let configuration: MonitorConfiguration
    /// All topics compiled into one matcher.
    public let match: @Sendable (ItemText) -> [TopicMatch]
    /// Topics by id, for alert titles.
    public let topics: [String: TopicDefinition]

    /// Compiles the rules of `configuration`.
    ///
    /// - Throws: ``MonitorError`` with code ``MonitorError/Code/rules``, one problem per rule error
    ///   as `file:line:col: message` (positions in feeds.conf where the configuration knows them).
    public init(configuration: MonitorConfiguration, fileName: String = "feeds.conf") throws(MonitorError) {
        self.configuration = configuration
        do {
            let ruleSet = try CompiledRules.compile(configuration.topics)
            match = { ruleSet.match($0) }
        } catch {
            let positions = Dictionary(configuration.topics.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let problems = error.problems.map { problem in
                let topic = positions[problem.topicID]
                let line = (topic?.ruleLine ?? 1) + problem.line - 1
                let column = problem.line == 1 ? (topic?.ruleColumn ?? 1) + problem.column - 1 : problem.column
                return "\(fileName):\(line):\(column): topic \(problem.topicID): \(problem.message)"
            }
            throw MonitorError(code: .rules, message: "invalid topic rules", problems: problems, cause: error)
        }
        topics = Dictionary(configuration.topics.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A runtime with a hand-written matcher (tests).
    init(configuration: MonitorConfiguration, match: @escaping @Sendable (ItemText) -> [TopicMatch]) {
        self.configuration = configuration
        self.match = match
        topics = Dictionary(configuration.topics.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
