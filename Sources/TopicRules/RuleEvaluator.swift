/// Evaluates rules over the hits of one item (see ``RuleSet/match(_:)``).
///
/// A term's yes/no is one load of its pattern's slot; its hits are a chain through
/// ``RuleSet/Hit/previous``. The views are unsafe: valid only inside the call that made them.
struct RuleEvaluator {
    let hits: UnsafeBufferPointer<RuleSet.Hit>
    let slots: UnsafeBufferPointer<MatchScratch.PatternSlot>
    let nodes: UnsafeBufferPointer<RuleProgram.Node>
    let children: UnsafeBufferPointer<Int32>
    let generation: UInt32

    /// The last hit of a term in one of its fields, or -1; earlier ones follow `previous`.
    @inline(__always)
    private func lastHit(_ node: RuleProgram.Node) -> Int32 {
        let slot = slots[Int(node.pattern)]
        guard slot.generation == generation, slot.fields & node.fields.rawValue != 0 else { return -1 }
        return slot.last
    }

    /// Yes or no, short-circuiting.
    func holds(_ index: Int32) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            return lastHit(node) >= 0
        case .and:
            for c in node.childRange where !holds(children[c]) { return false }
            return true
        case .or:
            for c in node.childRange where holds(children[c]) { return true }
            return false
        case .not:
            return !holds(children[Int(node.childStart)])
        case .near:
            // Both sides must hit somewhere before positions are worth comparing.
            for c in node.childRange where !holds(children[c]) { return false }
            return !spans(index).isEmpty
        }
    }

    /// Evaluates a node in full; on success appends the hits that support it to `evidence`.
    func collect(_ index: Int32, into evidence: inout [Int]) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            var i = lastHit(node)
            let found = i >= 0
            while i >= 0 {
                let hit = hits[Int(i)]
                if node.fields.contains(hit.field) { evidence.append(Int(i)) }
                i = hit.previous
            }
            return found
        case .and:
            let mark = evidence.count
            for c in node.childRange where !collect(children[c], into: &evidence) {
                evidence.removeSubrange(mark...)
                return false
            }
            return true
        case .or:
            var any = false
            for c in node.childRange where collect(children[c], into: &evidence) { any = true }
            return any
        case .not:
            return !holds(children[Int(node.childStart)])
        case .near:
            let found = spans(index)
            guard !found.isEmpty else { return false }
            collectInside(found, under: index, into: &evidence)
            return true
        }
    }

    /// Appends the hits of the terms under a positional node that lie inside one of `spans`.
    private func collectInside(_ spans: [Span], under index: Int32, into evidence: inout [Int]) {
        let node = nodes[Int(index)]
        guard node.kind == .term else {
            for c in node.childRange { collectInside(spans, under: children[c], into: &evidence) }
            return
        }
        var i = lastHit(node)
        while i >= 0 {
            let hit = hits[Int(i)]
            if node.fields.contains(hit.field), Self.contains(spans, instance: hit.instance, first: hit.first, last: hit.last) {
                evidence.append(Int(i))
            }
            i = hit.previous
        }
    }

    /// A run of words in one field where a positional expression holds.
    struct Span: Comparable {
        var instance: Int32
        var first: Int32
        var last: Int32

        static func < (a: Span, b: Span) -> Bool {
            (a.instance, a.first, b.last) < (b.instance, b.first, a.last)
        }

        /// Words between two spans (0 when they overlap).
        func gap(to other: Span) -> Int32 {
            other.first > last ? other.first - last : (first > other.last ? first - other.last : 0)
        }

        func contains(_ other: Span) -> Bool {
            instance == other.instance && first <= other.first && last >= other.last
        }
    }

    /// The spans where a positional expression (term, OR of them, NEAR) holds, as an antichain:
    /// sorted by field and first word, no span inside another (a span inside another is never
    /// closer to anything, so dropping it changes no NEAR above), hence also sorted by last word.
    ///
    /// - Complexity: O(s log s) for s spans of the operands, plus the spans that contain one
    ///   another across the operands; at most one span per word of a field comes out.
    func spans(_ index: Int32) -> [Span] {
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            var result: [Span] = []
            var i = lastHit(node)
            while i >= 0 {
                let h = hits[Int(i)]
                if node.fields.contains(h.field) { result.append(Span(instance: h.instance, first: h.first, last: h.last)) }
                i = h.previous
            }
            return Self.maximal(result)
        case .or:
            var result: [Span] = []
            for c in node.childRange { result += spans(children[c]) }
            return Self.maximal(result)
        case .near:
            let left = spans(children[Int(node.childStart)])
            guard !left.isEmpty else { return [] }
            let right = spans(children[Int(node.childStart) + 1])
            guard !right.isEmpty else { return [] }
            var result: [Span] = []
            for a in left {
                // The right spans within the distance form one run of the antichain (first and last
                // both ascend): those ending at or after a.first - d and starting at or before a.last + d.
                var lo = Self.firstIndex(in: right) { ($0.instance, $0.last) >= (a.instance, a.first - node.distance) }
                var hi = lo
                while hi < right.count, right[hi].instance == a.instance, right[hi].first <= a.last + node.distance { hi += 1 }
                guard lo < hi else { continue }
                // The hulls with the leftmost and with the rightmost partner contain every other
                // hull, except those of partners that contain `a` (their hull is the partner itself).
                let leftmost = right[lo], rightmost = right[hi - 1]
                result.append(Span(instance: a.instance, first: min(a.first, leftmost.first), last: max(a.last, leftmost.last)))
                result.append(Span(instance: a.instance, first: min(a.first, rightmost.first), last: max(a.last, rightmost.last)))
                while lo < hi, right[lo].first <= a.first {
                    if right[lo].last >= a.last { result.append(right[lo]) }
                    lo += 1
                }
            }
            return Self.maximal(result)
        case .and, .not:
            preconditionFailure("the parser only accepts positional operands for NEAR")
        }
    }

    /// The spans that lie inside no other, sorted.
    static func maximal(_ spans: consuming [Span]) -> [Span] {
        guard spans.count > 1 else { return spans }
        // Sorted and thinned in place: the callers hand over their only reference (one allocation, not three).
        var list = spans
        list.sort()  // by field, first ascending, last descending
        var kept = 0
        for index in list.indices {
            if kept > 0, list[kept - 1].contains(list[index]) { continue }
            list[kept] = list[index]
            kept += 1
        }
        list.removeSubrange(kept...)
        return list
    }

    /// The first position in `spans` where `predicate` holds (it must hold for a suffix).
    static func firstIndex(in spans: [Span], where predicate: (Span) -> Bool) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if predicate(spans[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Whether a word range lies inside one of an antichain's spans.
    static func contains(_ spans: [Span], instance: Int32, first: Int32, last: Int32) -> Bool {
        // The last span starting at or before `first` ends last among those that could contain it.
        let next = firstIndex(in: spans) { ($0.instance, $0.first) > (instance, first) }
        return next > 0 && spans[next - 1].contains(Span(instance: instance, first: first, last: last))
    }
}
