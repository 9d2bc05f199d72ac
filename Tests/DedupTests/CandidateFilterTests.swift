import Foundation
import NewsTestSupport
import Testing
import TextNormalization

@testable import Dedup

/// `StoryEvidence.mayBeSameReport` lets the finder skip a candidate's index look-ups. It restates what each path
/// of `isSameReport` needs that does not depend on the story's informative counts, so it must never rule out a
/// candidate that `compare` would take, whatever those counts, the commonness of terms or the hours apart.
@Suite struct CandidateFilterTests {
    /// Title and teaser of the labelled story set's items (fixtures/stories), in file order: a story's copies
    /// stand near each other there.
    static func items() throws -> [(title: String, summary: String)] {
        let directory = RepositoryPaths.fixtures.appendingPathComponent("stories")
        var items: [(String, String)] = []
        for name in ["a.jsonl", "c.jsonl", "f-heldback.jsonl"] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                items.append((object?["title"] as? String ?? "", object?["summary"] as? String ?? ""))
            }
        }
        return items
    }

    /// The sorted `terms` with each left out at the given rate (terms found common in the window).
    static func informative(_ terms: [UInt64], dropping rate: Double, using random: inout SeededRandom) -> [UInt64] {
        rate == 0 ? terms : terms.filter { _ in Double.random(in: 0..<1, using: &random) >= rate }
    }

    @Test func theFilterNeverRulesOutACandidateThatCompareTakes() throws {
        let prints = try Self.items().map {
            StoryFingerprint(titleWords: TextNormalizer.words(in: $0.title), summary: $0.summary)
        }
        var random = SeededRandom(seed: 11)
        var taken = 0
        var compared = 0
        for i in prints.indices {
            for j in max(0, i - 25)..<i {
                let (item, story) = (prints[i], prints[j])
                for variant in 0..<4 {
                    let rate = [0, 0.15, 0.35, 0.6][variant]
                    let body = Self.informative(Array(item.body), dropping: rate, using: &random)
                    let lead = StoryEvidence.intersection(item.lead, body)
                    let words = Self.informative(Array(item.words), dropping: rate, using: &random)
                    let figures = Self.informative(Array(item.numbers), dropping: rate, using: &random)
                    let headline = body.count < StoryEvidence.minimumBodyPhrases ? words : []
                    let counts = StoryEvidence.InformativeCounts(
                        body: Int(Double(story.body.count) * (1 - rate)), lead: Int(Double(story.lead.count) * (1 - rate)),
                        words: Int(Double(story.words.count) * (1 - rate)))
                    let hours = [0.5, 6, 12, 30][Int.random(in: 0..<4, using: &random)]
                    let recurring = Int.random(in: 0..<8, using: &random) == 0
                    let evidence = StoryEvidence.compare(
                        item, informativeBody: body, informativeLead: lead, informativeWords: words,
                        informativeHeadline: headline, informativeFigures: figures, with: story, informative: counts,
                        hoursApart: hours, isRecurringTitle: recurring)
                    compared += 1
                    guard evidence.isSameReport else { continue }
                    taken += 1
                    let kept = StoryEvidence.mayBeSameReport(
                        item, informativeBody: body, informativeLead: lead, informativeWords: words,
                        informativeHeadline: headline, informativeFigures: figures, with: story, hoursApart: hours,
                        isRecurringTitle: recurring)
                    #expect(kept, "items \(i) and \(j), variant \(variant): \(evidence)")
                }
            }
        }
        // The property was exercised on many pairs that are the same report.
        #expect(compared > 50_000)
        #expect(taken > 300)
    }
}
