public import NewsModel

/// One labelled item: its text and the topics it belongs to (what `newsmon eval` reads).
public struct LabelledItem: Sendable, Hashable {
    /// A name for reports; the line number when the file gives none.
    public var id: String
    public var text: ItemText
    /// The topic ids the item is about; empty for an item no topic should match.
    public var topics: Set<String>

    public init(id: String, text: ItemText, topics: Set<String>) {
        self.id = id
        self.text = text
        self.topics = topics
    }
}

/// How one topic's rule did on a labelled set.
public struct TopicScore: Sendable, Hashable {
    /// One wrong decision: the item, and how each top-level part of the rule fared on it.
    public struct WrongDecision: Sendable, Hashable {
        public var item: LabelledItem
        /// See ``RuleSet/explainParts(_:topicID:)``.
        public var parts: [RulePartOutcome]
        /// For a false alarm, the evidence of the match.
        public var evidence: [MatchEvidence]
    }

    /// The topic's `id`.
    public var topicID: String
    /// Items labelled with the topic that the rule matches.
    public var truePositives = 0
    /// Items the rule matches that are not labelled with the topic.
    public var falsePositives = 0
    /// Items labelled with the topic that the rule does not match.
    public var falseNegatives = 0
    /// The items labelled with the topic that the rule does not match, in input order.
    public var misses: [WrongDecision] = []
    /// The items matched that are not labelled with the topic, in input order.
    public var falseAlarms: [WrongDecision] = []

    public init(topicID: String) { self.topicID = topicID }

    /// Matched and labelled over matched; 1 when nothing matched.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// Matched and labelled over labelled; 1 when nothing is labelled.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// The harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Double {
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}

extension RuleSet {
    /// Scores every topic (or those named) on labelled items: precision, recall, F1, and each miss
    /// and false alarm with the outcome of the rule's parts.
    ///
    /// - Parameters:
    ///   - items: The labelled items.
    ///   - topicIDs: The topics to score, in this order; the default is every topic, in configuration order.
    /// - Returns: One score per topic.
    /// - Complexity: One ``match(_:)`` per item, plus ``explainParts(_:topicID:)`` per wrong decision.
    public func evaluate(_ items: [LabelledItem], topicIDs: [String]? = nil) -> [TopicScore] {
        let ids = topicIDs ?? self.topicIDs
        var scores = ids.map { TopicScore(topicID: $0) }
        for item in items {
            let matches = match(item.text)
            for i in scores.indices {
                let id = scores[i].topicID
                let match = matches.first { $0.topicID == id }
                switch (match != nil, item.topics.contains(id)) {
                case (true, true):
                    scores[i].truePositives += 1
                case (true, false):
                    scores[i].falsePositives += 1
                    let parts = explainParts(item.text, topicID: id) ?? []
                    scores[i].falseAlarms.append(.init(item: item, parts: parts, evidence: match?.evidence ?? []))
                case (false, true):
                    scores[i].falseNegatives += 1
                    let parts = explainParts(item.text, topicID: id) ?? []
                    scores[i].misses.append(.init(item: item, parts: parts, evidence: []))
                case (false, false):
                    break
                }
            }
        }
        return scores
    }
}
