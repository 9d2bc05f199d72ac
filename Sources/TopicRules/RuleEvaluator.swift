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
        let node = nodes[Int(index)]
        switch node.kind {
        case .term:
            var result: [Span] = []
            var i = lastHit(node)
            while i >= 0 {
                let h = hits[Int(i)]
                if node.fields.contains(h.field) {
                    result.append(Span(instance: h.instance, first: h.first, last: h.last, hits: [Int(i)]))
                }
                i = h.previous
            }
            return result
        case .or:
            var result: [Span] = []
            for c in node.childRange { result += spans(children[c]) }
            return result
        case .near:
            let left = spans(children[Int(node.childStart)])
            guard !left.isEmpty else { return [] }
            let right = spans(children[Int(node.childStart) + 1])
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
