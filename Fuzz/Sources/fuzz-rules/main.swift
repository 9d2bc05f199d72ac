import FuzzSupport
import NewsModel
import TopicRules

// The rule language: text → compiled rule set → one small item matched and explained.
//
// The input is UTF-8 text cut at NUL bytes (TOML strings never hold one): the first piece is the
// topic's rule; with two or more pieces, the last is the item (lines: title, summary, content, then one
// category per line) and the pieces between are named parts, `name=rule` (as `[define]` has them).
// With one piece the item is a fixed headline that hits the words of the seed rules.

let sampleItem = ItemText(
    title: "Nato-Russland-Rat: Truppen an der Grenze zur Ukraine",
    summary: "Russia masses troops near the Ukrainian border; the NATO-Russia Council meets in Brussels.",
    content: "Satellitenbilder zeigen 100.000 Soldaten. Der Kreml bestreitet einen Aufmarsch.",
    categories: ["Ausland", "Europe"]
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let pieces = String(decoding: fuzzInput(data, size), as: UTF8.self)
        .split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    let rule = pieces[0]
    var item = sampleItem
    var definitions: [RuleDefinition] = []
    if pieces.count >= 2 {
        let lines = pieces[pieces.count - 1].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        item = ItemText(
            title: lines[0], summary: lines.count > 1 ? lines[1] : "", content: lines.count > 2 ? lines[2] : "",
            categories: Array(lines.dropFirst(3)))
        for piece in pieces.dropFirst().dropLast() {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            definitions.append(RuleDefinition(name: String(parts[0]), rule: parts.count > 1 ? String(parts[1]) : ""))
        }
    }
    let rules: RuleSet
    do {
        rules = try RuleSet(topics: [TopicDefinition(id: "t", title: "t", rule: rule)], definitions: definitions)
    } catch {
        fuzzInvariant(!error.problems.isEmpty, "a rule set was refused without a problem")
        for problem in error.problems {
            fuzzInvariant(problem.line >= 1 && problem.column >= 1, "problem at \(problem.line):\(problem.column)")
        }
        _ = error.description
        return 0
    }
    let matches = rules.match(item)
    fuzzInvariant(matches.allSatisfy { $0.topicID == "t" }, "a match names an unknown topic")
    guard let parts = rules.explainParts(item, topicID: "t"), !parts.isEmpty else {
        fuzzInvariant(false, "explainParts found no part of the topic")
        return 0
    }
    if parts.count == 1 {
        fuzzInvariant(parts[0].holds == !matches.isEmpty, "the rule's one part and the match disagree")
    }
    let scores = rules.evaluate([LabelledItem(id: "i", text: item, topics: matches.isEmpty ? [] : ["t"])])
    fuzzInvariant(scores.allSatisfy { $0.falsePositives == 0 && $0.falseNegatives == 0 }, "evaluate disagrees with match")
    return 0
}
