public import NewsModel

/// How one top-level part of a topic's rule fared on one item.
///
/// A rule's parts are its OR alternatives or, when it has one alternative, the operands of its
/// AND: for a rule written `@who AND @what AND NOT @elsewhere` they are `@who`, `@what` and
/// `NOT @elsewhere`. An item the rule misses fails at least one of them; the outcome says which,
/// and what hit.
public struct RulePartOutcome: Sendable, Hashable {
    /// The part as written in the rule, comments dropped and blanks collapsed (at most 80 characters).
    public var label: String
    /// Whether the part holds for the item.
    public var holds: Bool
    /// The terms that hit, with the words of the item:
    /// - for a part that holds, the evidence it holds by;
    /// - for `NOT x` that fails, the evidence of `x` (the words that rule the item out);
    /// - for any other part that fails, every term of the part that hit, not enough to make it hold.
    public var evidence: [MatchEvidence]

    public init(label: String, holds: Bool, evidence: [MatchEvidence]) {
        self.label = label
        self.holds = holds
        self.evidence = evidence
    }
}

extension RuleSet {
    /// Each top-level part of a topic's rule and how it fared on `text` (see ``RulePartOutcome``).
    ///
    /// For a rule without parts (a single term, phrase, NEAR or NOT) the one outcome is the rule itself.
    /// This evaluates the rule's parts one by one for a reader, not for alerting: use ``match(_:)`` for that.
    ///
    /// - Parameters:
    ///   - text: The item.
    ///   - topicID: The topic's `id`.
    /// - Returns: The outcomes in the order the parts are written, or nil when there is no such topic.
    /// - Complexity: O(n + h + rule size) for n bytes of text and h hits.
    public func explainParts(_ text: ItemText, topicID: String) -> [RulePartOutcome]? {
        guard let topic = topics.first(where: { $0.id == topicID }) else { return nil }
        let parts = topic.parts.isEmpty ? [(label: "the whole rule", root: topic.root)] : topic.parts
        return scratchPool.withScratch { scratch in
            scratch.begin()
            scanFields(of: text, into: &scratch.hits)
            link(scratch)
            var outcomes: [(label: String, holds: Bool, evidence: [Int])] = []
            scratch.hits.withUnsafeBufferPointer { hits in
                scratch.slots.withUnsafeBufferPointer { slots in
                    program.nodes.withUnsafeBufferPointer { nodes in
                        program.children.withUnsafeBufferPointer { children in
                            let evaluator = RuleEvaluator(
                                hits: hits, slots: slots, nodes: nodes, children: children, generation: scratch.generation
                            )
                            for part in parts {
                                var evidence: [Int] = []
                                let node = nodes[Int(part.root)]
                                let holds = evaluator.holds(part.root)
                                if holds {
                                    _ = evaluator.collect(part.root, into: &evidence)
                                } else if node.kind == .not {
                                    _ = evaluator.collect(children[Int(node.childStart)], into: &evidence)
                                } else {
                                    Self.allHits(under: part.root, nodes: nodes, children: children, slots: slots,
                                                 hits: hits, generation: scratch.generation, into: &evidence)
                                }
                                outcomes.append((part.label, holds, evidence))
                            }
                        }
                    }
                }
            }
            return outcomes.map {
                RulePartOutcome(label: $0.label, holds: $0.holds, evidence: explain($0.evidence, hits: scratch.hits, text: text))
            }
        }
    }

    /// Every hit of every term under a node, in the term's fields.
    private static func allHits(
        under index: Int32, nodes: UnsafeBufferPointer<RuleProgram.Node>, children: UnsafeBufferPointer<Int32>,
        slots: UnsafeBufferPointer<MatchScratch.PatternSlot>, hits: UnsafeBufferPointer<Hit>, generation: UInt32,
        into evidence: inout [Int]
    ) {
        let node = nodes[Int(index)]
        guard node.kind == .term else {
            for c in node.childRange {
                allHits(under: children[c], nodes: nodes, children: children, slots: slots, hits: hits,
                        generation: generation, into: &evidence)
            }
            return
        }
        let slot = slots[Int(node.pattern)]
        guard slot.generation == generation else { return }
        var i = slot.last
        while i >= 0 {
            if node.fields.contains(hits[Int(i)].field) { evidence.append(Int(i)) }
            i = hits[Int(i)].previous
        }
    }
}
