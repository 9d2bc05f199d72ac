import NewsTestSupport
import Foundation
import NewsModel
import Testing
import TextNormalization
import TopicRules

/// A rule as a tree, with a naive evaluator that checks every word position directly.
indirect enum ReferenceRule {
    case term(words: [String], openStart: Bool, openEnd: Bool, field: String?)
    case and([ReferenceRule])
    case or([ReferenceRule])
    case not(ReferenceRule)
    case near(ReferenceRule, ReferenceRule, Int)

    var source: String {
        switch self {
        case .term(let words, let openStart, let openEnd, let field):
            let body = (openStart ? "*" : "") + words.joined(separator: " ") + (openEnd ? "*" : "")
            let term = words.count > 1 ? "\"\(body)\"" : body
            return field.map { "\($0):\(term)" } ?? term
        case .and(let xs): return "(" + xs.map(\.source).joined(separator: " AND ") + ")"
        case .or(let xs): return "(" + xs.map(\.source).joined(separator: " OR ") + ")"
        case .not(let x): return "NOT " + x.source
        case .near(let a, let b, let n): return "(" + a.source + " NEAR/\(n) " + b.source + ")"
        }
    }

    /// Fields: (name, words).
    func holds(_ fields: [(String, [String])]) -> Bool {
        switch self {
        case .and(let xs): return xs.allSatisfy { $0.holds(fields) }
        case .or(let xs): return xs.contains { $0.holds(fields) }
        case .not(let x): return !x.holds(fields)
        case .term, .near:
            return fields.indices.contains { !spans(fields, field: $0).isEmpty }
        }
    }

    /// Word ranges where a positional rule holds in one field.
    func spans(_ fields: [(String, [String])], field index: Int) -> [ClosedRange<Int>] {
        let (name, words) = fields[index]
        switch self {
        case .term(let pattern, let openStart, let openEnd, let field):
            if let field, field != name { return [] }
            var result: [ClosedRange<Int>] = []
            for start in words.indices where start + pattern.count <= words.count {
                var ok = true
                for (j, p) in pattern.enumerated() {
                    let w = words[start + j]
                    let first = j == 0, last = j == pattern.count - 1
                    let fits: Bool
                    switch (first && openStart, last && openEnd) {
                    case (true, true): fits = w.contains(p)
                    case (true, false): fits = w.hasSuffix(p)
                    case (false, true): fits = w.hasPrefix(p)
                    case (false, false): fits = w == p
                    }
                    if !fits { ok = false; break }
                }
                if ok { result.append(start...(start + pattern.count - 1)) }
            }
            return result
        case .or(let xs):
            return xs.flatMap { $0.spans(fields, field: index) }
        case .near(let a, let b, let n):
            let left = a.spans(fields, field: index), right = b.spans(fields, field: index)
            var result: [ClosedRange<Int>] = []
            for l in left {
                for r in right {
                    let gap = r.lowerBound > l.upperBound ? r.lowerBound - l.upperBound : (l.lowerBound > r.upperBound ? l.lowerBound - r.upperBound : 0)
                    if gap <= n { result.append(min(l.lowerBound, r.lowerBound)...max(l.upperBound, r.upperBound)) }
                }
            }
            return result
        case .and, .not:
            preconditionFailure("not positional")
        }
    }
}

struct AutomatonReferenceTests {
    static let vocabulary = [
        "nato", "natos", "rat", "rate", "rates", "russland", "russ", "land", "truppen", "truppenaufmarsch",
        "aufmarsch", "auf", "marsch", "grenze", "an", "der", "a", "aa", "aaa", "ab", "ba", "aba", "bruessel",
    ]
    static let separators = [" ", "-", " – ", ", ", "\u{00AD}", ": ", "’", " „", "“ "]

    static func randomTerm(_ rng: inout SeededRandom, positional: Bool) -> ReferenceRule {
        let count = Int.random(in: 1...3, using: &rng) == 1 ? Int.random(in: 2...3, using: &rng) : 1
        var words = (0..<count).map { _ in vocabulary.randomElement(using: &rng)! }
        let openStart = Bool.random(using: &rng) && Bool.random(using: &rng)
        let openEnd = Bool.random(using: &rng) && Bool.random(using: &rng)
        if openStart, words[0].count > 2 { words[0] = String(words[0].dropFirst(Int.random(in: 0...2, using: &rng))) }
        if openEnd, words[count - 1].count > 2 { words[count - 1] = String(words[count - 1].dropLast(Int.random(in: 0...2, using: &rng))) }
        let field: String? = Int.random(in: 0..<5, using: &rng) == 0 ? ["title", "summary", "content", "category"].randomElement(using: &rng) : nil
        return .term(words: words, openStart: openStart, openEnd: openEnd, field: field)
    }

    static func randomPositional(_ rng: inout SeededRandom, depth: Int) -> ReferenceRule {
        switch depth > 0 ? Int.random(in: 0..<4, using: &rng) : 0 {
        case 1: return .or([randomPositional(&rng, depth: depth - 1), randomPositional(&rng, depth: depth - 1)])
        case 2: return .near(randomPositional(&rng, depth: depth - 1), randomPositional(&rng, depth: depth - 1), Int.random(in: 1...4, using: &rng))
        default: return randomTerm(&rng, positional: true)
        }
    }

    static func randomRule(_ rng: inout SeededRandom, depth: Int) -> ReferenceRule {
        guard depth > 0 else { return randomTerm(&rng, positional: false) }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .and((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomRule(&rng, depth: depth - 1) })
        case 1: return .or((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomRule(&rng, depth: depth - 1) })
        case 2: return .not(randomRule(&rng, depth: depth - 1))
        case 3: return randomPositional(&rng, depth: 2)
        default: return randomTerm(&rng, positional: false)
        }
    }

    static func randomText(_ rng: inout SeededRandom, words: Int) -> String {
        var s = ""
        for i in 0..<words {
            if i > 0 { s += separators.randomElement(using: &rng)! }
            var w = vocabulary.randomElement(using: &rng)!
            if Int.random(in: 0..<4, using: &rng) == 0 { w += vocabulary.randomElement(using: &rng)! }  // compounds
            if Bool.random(using: &rng) { w = w.prefix(1).uppercased() + w.dropFirst() }
            if Int.random(in: 0..<8, using: &rng) == 0 { w = w.uppercased() }
            s += w.replacingOccurrences(of: "ue", with: Bool.random(using: &rng) ? "ü" : "ue")
        }
        return s
    }

    @Test(arguments: [UInt64(1), 2, 3, 42, 2026])
    func automatonAgreesWithNaiveReference(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let rules = (0..<40).map { _ in Self.randomRule(&rng, depth: 3) }
        let topics = rules.enumerated().map { TopicDefinition(id: "t\($0.offset)", title: "", rule: $0.element.source) }
        let ruleSet = try RuleSet(topics: topics)
        var checked = 0, matched = 0
        for _ in 0..<80 {
            let text = ItemText(
                title: Self.randomText(&rng, words: Int.random(in: 0...8, using: &rng)),
                summary: Self.randomText(&rng, words: Int.random(in: 0...20, using: &rng)),
                content: Self.randomText(&rng, words: Int.random(in: 0...30, using: &rng)),
                categories: (0..<Int.random(in: 0...2, using: &rng)).map { _ in Self.randomText(&rng, words: 2) }
            )
            var fields: [(String, [String])] = [
                ("title", TextNormalizer.words(in: text.title)),
                ("summary", TextNormalizer.words(in: text.summary)),
                ("content", TextNormalizer.words(in: text.content)),
            ]
            for c in text.categories { fields.append(("category", TextNormalizer.words(in: c))) }
            let expected = rules.enumerated().filter { $0.element.holds(fields) }.map { "t\($0.offset)" }
            let actual = ruleSet.match(text).map(\.topicID)
            #expect(actual == expected, "seed \(seed): \(text)")
            checked += rules.count
            matched += expected.count
        }
        // The generator must produce both outcomes often enough for the comparison to mean something.
        #expect(matched > checked / 20 && matched < checked * 19 / 20)
    }
}
