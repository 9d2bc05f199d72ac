public import NewsModel
import TextNormalization

extension RuleSet {
    /// One occurrence of a pattern in one field of an item.
    struct Hit {
        var pattern: Int32
        var field: UInt8
        /// Which category, for `category` hits; 0 otherwise.
        var instance: Int32
        /// Word indices (inclusive) inside the field.
        var first: Int32
        var last: Int32
        /// UTF-8 offsets of the surface text in the field.
        var sourceStart: Int32
        var sourceEnd: Int32
    }

    /// The topics `text` matches, each with its evidence, in configuration order.
    ///
    /// - Complexity: O(n + h·t) for n bytes of text, h pattern hits and t nodes of the rules hit;
    ///   independent of the number of topics that have no hit.
    public func match(_ text: ItemText) -> [TopicMatch] {
        var tokenizer = WordTokenizer()
        var hits: [Hit] = []
        let fields = Self.fields(of: text)
        for (index, field) in fields.enumerated() {
            collectHits(in: field.text, field: field.kind, instance: Int32(index), tokenizer: &tokenizer, into: &hits)
        }
        guard !hits.isEmpty || !topicsMatchingWithoutHits.isEmpty else { return [] }

        var candidates = topicsMatchingWithoutHits
        for hit in hits { candidates += patternTopics[Int(hit.pattern)] }
        candidates.sort()
        var results: [TopicMatch] = []
        var evidence: [Int] = []
        var previous: Int32 = -1
        for topic in candidates where topic != previous {
            previous = topic
            evidence.removeAll(keepingCapacity: true)
            if Self.evaluate(topics[Int(topic)].root, hits: hits, evidence: &evidence) {
                results.append(TopicMatch(topicID: topics[Int(topic)].id, evidence: explain(evidence, hits: hits, fields: fields)))
            }
        }
        return results
    }

    /// The fields of an item in scan order; categories each count as a field of their own.
    static func fields(of text: ItemText) -> [(kind: MatchField, text: String)] {
        var fields: [(kind: MatchField, text: String)] = [(.title, text.title), (.summary, text.summary), (.content, text.content)]
        for category in text.categories { fields.append((.category, category)) }
        return fields
    }

    private func collectHits(in text: String, field: MatchField, instance: Int32, tokenizer: inout WordTokenizer, into hits: inout [Hit]) {
        guard !text.isEmpty else { return }
        tokenizer.tokenize(text)
        let starts = tokenizer.starts
        let sourceStarts = tokenizer.sourceStarts
        let sourceEnds = tokenizer.sourceEnds
        tokenizer.bytes.withUnsafeBufferPointer { bytes in
            automaton.scan(bytes) { raw in
                // The last word is the last one starting at or before the hit's end.
                var lo = 0
                var hi = starts.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if Int(starts[mid]) <= raw.end { lo = mid + 1 } else { hi = mid }
                }
                let last = lo - 1
                let first = last - Int(patternExtraWords[Int(raw.pattern)])
                guard first >= 0, last >= 0 else { return }
                hits.append(Hit(
                    pattern: raw.pattern, field: field.rawValue, instance: instance,
                    first: Int32(first), last: Int32(last),
                    sourceStart: sourceStarts[first], sourceEnd: sourceEnds[last]
                ))
            }
        }
    }

    /// Evaluates `node`; on success appends the indices of the hits that support it to `evidence`.
    static func evaluate(_ node: Node, hits: [Hit], evidence: inout [Int]) -> Bool {
        switch node {
        case .term(let pattern, let fields):
            var found = false
            for (i, hit) in hits.enumerated() where hit.pattern == pattern && fields.contains(hit.field) {
                evidence.append(i)
                found = true
            }
            return found
        case .and(let children):
            let mark = evidence.count
            for child in children where !evaluate(child, hits: hits, evidence: &evidence) {
                evidence.removeSubrange(mark...)
                return false
            }
            return true
        case .or(let children):
            var any = false
            for child in children where evaluate(child, hits: hits, evidence: &evidence) { any = true }
            return any
        case .not(let child):
            let mark = evidence.count
            let result = evaluate(child, hits: hits, evidence: &evidence)
            evidence.removeSubrange(mark...)
            return !result
        case .near:
            let found = spans(node, hits: hits)
            for span in found { evidence += span.hits }
            return !found.isEmpty
        }
    }

    /// A run of words in one field supporting a positional expression.
    struct Span {
        var field: UInt8
        var instance: Int32
        var first: Int32
        var last: Int32
        var hits: [Int]
    }

    /// The spans where a positional expression (term, OR of them, NEAR) holds.
    static func spans(_ node: Node, hits: [Hit]) -> [Span] {
        switch node {
        case .term(let pattern, let fields):
            return hits.indices.compactMap { i in
                let h = hits[i]
                guard h.pattern == pattern, fields.contains(h.field) else { return nil }
                return Span(field: h.field, instance: h.instance, first: h.first, last: h.last, hits: [i])
            }
        case .or(let children):
            return children.flatMap { spans($0, hits: hits) }
        case .near(let a, let b, let distance):
            let left = spans(a, hits: hits)
            guard !left.isEmpty else { return [] }
            let right = spans(b, hits: hits)
            var result: [Span] = []
            for l in left {
                for r in right where l.instance == r.instance {
                    let gap = r.first > l.last ? r.first - l.last : (l.first > r.last ? l.first - r.last : 0)
                    if gap <= distance {
                        result.append(Span(field: l.field, instance: l.instance, first: min(l.first, r.first), last: max(l.last, r.last), hits: l.hits + r.hits))
                    }
                }
            }
            return result
        case .and, .not:
            preconditionFailure("the parser only accepts positional operands for NEAR")
        }
    }

    private func explain(_ evidence: [Int], hits: [Hit], fields: [(kind: MatchField, text: String)]) -> [MatchEvidence] {
        var seen = Set<MatchEvidence>()
        var result: [MatchEvidence] = []
        for i in Set(evidence).sorted() {
            let hit = hits[i]
            let field = fields[Int(hit.instance)]
            let utf8 = Array(field.text.utf8)[Int(hit.sourceStart)..<Int(hit.sourceEnd)]
            let item = MatchEvidence(term: patternDisplays[Int(hit.pattern)], field: field.kind.name, text: String(decoding: utf8, as: UTF8.self))
            if seen.insert(item).inserted { result.append(item) }
        }
        return result
    }
}
