public import NewsModel

extension RuleSet {
    /// The topics `text` matches, each with its evidence, in configuration order.
    ///
    /// One pass of the shared automaton over every field finds all pattern hits; then only the
    /// topics that use a hit pattern (or that hold without any hit, such as `NOT x`) are evaluated,
    /// first as a short-circuiting yes/no, then, for the topics that match, once more for evidence.
    ///
    /// - Complexity: O(n + h log h + Σ rule size · log h) for n bytes of text, h hits and the rules of
    ///   the topics hit; independent of the topics that have no hit.
    public func match(_ text: ItemText) -> [TopicMatch] {
        let fields = Self.fields(of: text)
        var hits: [Hit] = []
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 128) { ring in
            automaton.withTables { tables in
                for (index, field) in fields.enumerated() where !field.text.isEmpty {
                    scan(field.text, field: field.kind.rawValue, instance: Int32(index), tables: tables, ring: ring.baseAddress!, into: &hits)
                }
            }
        }
        guard !hits.isEmpty || !topicsMatchingWithoutHits.isEmpty else { return [] }
        // The scan reports hits in field and text order, and a pattern always spans the same number
        // of words, so the (stable) sort by pattern alone orders them by (pattern, field, first, last).
        hits.sort { $0.pattern < $1.pattern }
        let index = HitIndex(hits: hits, program: program)

        var candidates = topicsMatchingWithoutHits
        var previousPattern: Int32 = -1
        for hit in hits where hit.pattern != previousPattern {
            previousPattern = hit.pattern
            candidates += patternTopics[Int(hit.pattern)]
        }
        candidates.sort()
        var results: [TopicMatch] = []
        var evidence: [Int] = []
        var previous: Int32 = -1
        for topic in candidates where topic != previous {
            previous = topic
            let root = topics[Int(topic)].root
            guard index.holds(root) else { continue }
            evidence.removeAll(keepingCapacity: true)
            _ = index.collect(root, into: &evidence)
            results.append(TopicMatch(topicID: topics[Int(topic)].id, evidence: explain(evidence, hits: hits, fields: fields)))
        }
        return results
    }

    /// The fields of an item in scan order; categories each count as a field of their own.
    static func fields(of text: ItemText) -> [(kind: MatchField, text: String)] {
        var fields: [(kind: MatchField, text: String)] = [(.title, text.title), (.summary, text.summary), (.content, text.content)]
        for category in text.categories { fields.append((.category, category)) }
        return fields
    }

    private func explain(_ evidence: [Int], hits: [Hit], fields: [(kind: MatchField, text: String)]) -> [MatchEvidence] {
        let ordered = Set(evidence).sorted {
            let a = hits[$0], b = hits[$1]
            return (a.instance, a.first, a.last, a.pattern) < (b.instance, b.first, b.last, b.pattern)
        }
        var seen = Set<MatchEvidence>()
        var result: [MatchEvidence] = []
        for i in ordered {
            let hit = hits[i]
            let field = fields[Int(hit.instance)]
            let utf8 = field.text.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: Int(hit.sourceStart))
            let end = utf8.index(start, offsetBy: Int(hit.sourceEnd - hit.sourceStart))
            let surface = String(Substring(utf8[start..<end]))
            let item = MatchEvidence(term: patternDisplays[Int(hit.pattern)], field: field.kind.name, text: surface)
            if seen.insert(item).inserted { result.append(item) }
        }
        return result
    }
}

/// The hits of one item, sorted by pattern, with the rule evaluation over them.
struct HitIndex {
    let hits: [RuleSet.Hit]
    let program: RuleProgram
    /// Open addressing from pattern id to its run in ``hits``: `slotPattern` is -1 when empty.
    private var slotPattern: [Int32]
    private var slotRange: [Range<Int>]
    private let mask: Int

    /// - Parameter hits: Sorted by pattern.
    init(hits: [RuleSet.Hit], program: RuleProgram) {
        self.hits = hits
        self.program = program
        var capacity = 8
        while capacity < hits.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slotPattern = [Int32](repeating: -1, count: capacity)
        slotRange = [Range<Int>](repeating: 0..<0, count: capacity)
        var start = 0
        while start < hits.count {
            var end = start + 1
            while end < hits.count, hits[end].pattern == hits[start].pattern { end += 1 }
            var slot = Self.hash(hits[start].pattern) & mask
            while slotPattern[slot] != -1 { slot = (slot + 1) & mask }
            slotPattern[slot] = hits[start].pattern
            slotRange[slot] = start..<end
            start = end
        }
    }

    @inline(__always)
    private static func hash(_ pattern: Int32) -> Int {
        Int(truncatingIfNeeded: UInt32(bitPattern: pattern) &* 2_654_435_761)
    }

    /// The positions in ``hits`` of one pattern's hits.
    ///
    /// - Complexity: O(1) expected.
    func range(of pattern: Int32) -> Range<Int> {
        var slot = Self.hash(pattern) & mask
        while true {
            let p = slotPattern[slot]
            if p == pattern { return slotRange[slot] }
            if p == -1 { return 0..<0 }
            slot = (slot + 1) & mask
        }
    }

    /// Yes or no, short-circuiting.
    func holds(_ index: Int32) -> Bool {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .term:
            for i in range(of: node.pattern) where node.fields.contains(hits[i].field) { return true }
            return false
        case .and:
            for c in node.childRange where !holds(program.children[c]) { return false }
            return true
        case .or:
            for c in node.childRange where holds(program.children[c]) { return true }
            return false
        case .not:
            return !holds(program.children[Int(node.childStart)])
        case .near:
            // Both sides must hit somewhere before positions are worth comparing.
            for c in node.childRange where !holds(program.children[c]) { return false }
            return !spans(index).isEmpty
        }
    }

    /// Evaluates a node in full; on success appends the hits that support it to `evidence`.
    func collect(_ index: Int32, into evidence: inout [Int]) -> Bool {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .term:
            var found = false
            for i in range(of: node.pattern) where node.fields.contains(hits[i].field) {
                evidence.append(i)
                found = true
            }
            return found
        case .and:
            let mark = evidence.count
            for child in program.operands(of: node) where !collect(child, into: &evidence) {
                evidence.removeSubrange(mark...)
                return false
            }
            return true
        case .or:
            var any = false
            for child in program.operands(of: node) where collect(child, into: &evidence) { any = true }
            return any
        case .not:
            return !holds(program.children[Int(node.childStart)])
        case .near:
            let found = spans(index)
            for span in found { evidence += span.hits }
            return !found.isEmpty
        }
    }

    /// A run of words in one field supporting a positional expression.
    struct Span {
        var instance: Int32
        var first: Int32
        var last: Int32
        var hits: [Int]
    }

    /// The spans where a positional expression (term, OR of them, NEAR) holds.
    func spans(_ index: Int32) -> [Span] {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .term:
            return range(of: node.pattern).compactMap { i in
                let h = hits[i]
                guard node.fields.contains(h.field) else { return nil }
                return Span(instance: h.instance, first: h.first, last: h.last, hits: [i])
            }
        case .or:
            return program.operands(of: node).flatMap { spans($0) }
        case .near:
            let left = spans(program.children[Int(node.childStart)])
            guard !left.isEmpty else { return [] }
            let right = spans(program.children[Int(node.childStart) + 1])
            var result: [Span] = []
            for l in left {
                for r in right where l.instance == r.instance {
                    let gap = r.first > l.last ? r.first - l.last : (l.first > r.last ? l.first - r.last : 0)
                    if gap <= node.distance {
                        result.append(Span(instance: l.instance, first: min(l.first, r.first), last: max(l.last, r.last), hits: l.hits + r.hits))
                    }
                }
            }
            return result
        case .and, .not:
            preconditionFailure("the parser only accepts positional operands for NEAR")
        }
    }
}

extension RuleSet {
    /// The number of pattern hits in `text`, without evaluating any rule (benchmarks split costs with it).
    package func _hitCount(_ text: ItemText) -> Int {
        let fields = Self.fields(of: text)
        var hits: [Hit] = []
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 128) { ring in
            automaton.withTables { tables in
                for (index, field) in fields.enumerated() where !field.text.isEmpty {
                    scan(field.text, field: field.kind.rawValue, instance: Int32(index), tables: tables, ring: ring.baseAddress!, into: &hits)
                }
            }
        }
        return hits.count
    }
}
