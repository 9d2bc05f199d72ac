public import NewsModel

extension RuleSet {
    /// The topics `text` matches, each with its evidence, in configuration order.
    ///
    /// One pass of the shared automaton over every field finds all pattern hits; each hit is
    /// chained to its pattern's slot. Only candidate topics are evaluated — those with a complete
    /// requirement branch (see ``RuleProgram/requirements(_:)``) and those that may hold without any
    /// hit, such as `NOT x` — first as a short-circuiting yes/no, then, for the topics that match,
    /// once more for evidence. Safe to call concurrently.
    ///
    /// - Complexity: O(n + h + Σ rule size) for n bytes of text, h hits and the rules of the
    ///   topics hit; independent of the topics that have no hit.
    public func match(_ text: ItemText) -> [TopicMatch] {
        scratchPool.withScratch { match(text, scratch: $0) }
    }

    private func match(_ text: ItemText, scratch: MatchScratch) -> [TopicMatch] {
        scratch.begin()
        scanFields(of: text, into: &scratch.hits)
        guard !scratch.hits.isEmpty || !topicsMatchingWithoutHits.isEmpty else { return [] }
        let generation = scratch.generation
        link(scratch)
        scratch.candidates.sort()

        var matched: [(topic: Int32, evidence: [Int])] = []
        scratch.hits.withUnsafeBufferPointer { hits in
            scratch.slots.withUnsafeBufferPointer { slots in
                program.nodes.withUnsafeBufferPointer { nodes in
                    program.children.withUnsafeBufferPointer { children in
                        let evaluator = RuleEvaluator(hits: hits, slots: slots, nodes: nodes, children: children, generation: generation)
                        for topic in scratch.candidates {
                            let root = topics[Int(topic)].root
                            guard evaluator.holds(root) else { continue }
                            var evidence: [Int] = []
                            _ = evaluator.collect(root, into: &evidence)
                            matched.append((topic, evidence))
                        }
                    }
                }
            }
        }
        return matched.map { TopicMatch(topicID: topics[Int($0.topic)].id, evidence: explain($0.evidence, hits: scratch.hits, text: text)) }
    }

    /// Chains every hit to its pattern's slot and gathers the candidate topics, each once: those
    /// that hold without hits, and those of which a requirement branch is complete.
    func link(_ scratch: MatchScratch) {
        let generation = scratch.generation
        var candidates = scratch.candidates
        var hitPatterns = scratch.hitPatterns
        scratch.candidates = []
        scratch.hitPatterns = []
        defer {
            scratch.candidates = candidates
            scratch.hitPatterns = hitPatterns
        }
        for topic in topicsMatchingWithoutHits where scratch.topicGeneration[Int(topic)] != generation {
            scratch.topicGeneration[Int(topic)] = generation
            candidates.append(topic)
        }
        scratch.hits.withUnsafeMutableBufferPointer { hits in
            scratch.slots.withUnsafeMutableBufferPointer { slots in
                for i in hits.indices {
                    let p = Int(hits[i].pattern)
                    if slots[p].generation != generation {
                        slots[p] = MatchScratch.PatternSlot(generation: generation, fields: 0, last: -1)
                        hitPatterns.append(Int32(p))
                    }
                    hits[i].previous = slots[p].last
                    slots[p].last = Int32(i)
                    slots[p].fields |= 1 << hits[i].field
                }
            }
        }
        // The branches anchored at a pattern that hit: complete when each other group has a hit too.
        scratch.slots.withUnsafeBufferPointer { slots in
            scratch.topicGeneration.withUnsafeMutableBufferPointer { topicGeneration in
                for p in hitPatterns {
                    for k in Int(patternBranchStart[Int(p)])..<Int(patternBranchStart[Int(p) + 1]) {
                        let branch = Int(patternBranchList[k])
                        let topic = Int(branchTopic[branch])
                        guard topicGeneration[topic] != generation else { continue }
                        let complete = (Int(branchGroupStart[branch])..<Int(branchGroupStart[branch + 1])).allSatisfy { g in
                            (Int(groupPatternStart[g])..<Int(groupPatternStart[g + 1])).contains { q in
                                slots[Int(groupPatterns[q])].generation == generation
                            }
                        }
                        if complete {
                            topicGeneration[topic] = generation
                            candidates.append(Int32(topic))
                        }
                    }
                }
            }
        }
    }

    /// Scans every field of an item: title (instance 0), summary (1), content (2), then each
    /// category (3, 4, ...).
    func scanFields(of text: ItemText, into hits: inout [Hit]) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 128) { ring in
            automaton.withTables { tables in
                for instance in 0..<(3 + text.categories.count) {
                    let (kind, field) = Self.field(instance, of: text)
                    if !field.isEmpty {
                        scan(field, field: kind.rawValue, instance: Int32(instance), tables: tables, ring: ring.baseAddress!, into: &hits)
                    }
                }
            }
        }
    }

    /// One field of an item by its scan instance (see ``scanFields(of:into:)``).
    static func field(_ instance: Int, of text: ItemText) -> (kind: MatchField, text: String) {
        switch instance {
        case 0: (.title, text.title)
        case 1: (.summary, text.summary)
        case 2: (.content, text.content)
        default: (.category, text.categories[instance - 3])
        }
    }

    /// The most evidence one match reports: enough to explain it, bounded for items that repeat a
    /// term thousands of times.
    static let maximumEvidence = 100

    /// The evidence of one match: distinct terms with their surface text, in field and text order.
    func explain(_ evidence: [Int], hits: [Hit], text: ItemText) -> [MatchEvidence] {
        var ordered = evidence
        ordered.sort {
            let a = hits[$0], b = hits[$1]
            return (a.instance, a.first, a.last, a.pattern) < (b.instance, b.first, b.last, b.pattern)
        }
        var result: [MatchEvidence] = []
        var seen = Set<MatchEvidence>()
        var previous = -1
        for i in ordered where i != previous {
            previous = i
            let hit = hits[i]
            let field = Self.field(Int(hit.instance), of: text)
            let utf8 = field.text.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: Int(hit.sourceStart))
            let end = utf8.index(start, offsetBy: Int(hit.sourceEnd - hit.sourceStart))
            let item = MatchEvidence(term: patternDisplays[Int(hit.pattern)], field: field.kind.name, text: String(Substring(utf8[start..<end])))
            // A linear check while the list is short (the common case), a set beyond.
            let isNew = result.count < 16 ? !result.contains(item) : seen.insert(item).inserted
            if isNew {
                result.append(item)
                if result.count == 16 { seen = Set(result) }
                if result.count == Self.maximumEvidence { break }
            }
        }
        return result
    }
}

extension RuleSet {
    /// The number of pattern hits in `text`, without evaluating any rule (benchmarks split costs with it).
    package func _hitCount(_ text: ItemText) -> Int {
        scratchPool.withScratch { scratch in
            scratch.begin()
            scanFields(of: text, into: &scratch.hits)
            return scratch.hits.count
        }
    }

    /// The number of candidate topics for `text`: the scan and the linking of hits, no evaluation.
    package func _candidateCount(_ text: ItemText) -> Int {
        scratchPool.withScratch { scratch in
            scratch.begin()
            scanFields(of: text, into: &scratch.hits)
            link(scratch)
            return scratch.candidates.count
        }
    }
}
