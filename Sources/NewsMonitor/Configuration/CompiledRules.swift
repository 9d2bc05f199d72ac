import NewsModel
import Synchronization
import TopicRules

/// The rule set compiled last in this process, so that a configuration read and then run (`newsmon once`,
/// `run`'s start) compiles its topics once: ``ConfigurationReader`` checks the rules by compiling them, and
/// ``MonitorRuntime`` takes that rule set when it is given the same topics.
enum CompiledRules {
    private struct Entry: Sendable {
        var topics: [TopicDefinition]
        var definitions: [RuleDefinition]
        var rules: RuleSet
    }

    private static let last = Mutex<Entry?>(nil)

    /// `RuleSet(topics:definitions:)`, or the rule set compiled last when it was for the same topics and
    /// either the same `definitions` or, with none given here, ones that every topic carries (then the
    /// same parts are known, in the same order, so the compiled rule set is the same).
    static func compile(_ topics: [TopicDefinition], definitions: [RuleDefinition] = []) throws(RuleSetError) -> RuleSet {
        let cached = last.withLock { entry -> RuleSet? in
            guard let entry, entry.topics == topics else { return nil }
            let sameParts =
                entry.definitions == definitions
                || (definitions.isEmpty && !topics.isEmpty && topics.allSatisfy { $0.definitions == entry.definitions })
            return sameParts ? entry.rules : nil
        }
        if let cached { return cached }
        let rules = try RuleSet(topics: topics, definitions: definitions)
        last.withLock { $0 = Entry(topics: topics, definitions: definitions, rules: rules) }
        return rules
    }
}
