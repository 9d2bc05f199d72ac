import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Dedup

/// Entries prepared ahead (title words, identity, fingerprint and figures worked out in the pipeline's concurrent half:
/// ``PreparedEntry``) change no decision: the labelled story set planned as one batch gives the same plans, item rows
/// and links with and without them.
@Suite struct PreparedEntryTests {
    /// The labelled story set's items (fixtures/stories, every writer) as one document per feed, in file order.
    static func documents() throws -> [DedupStore.Document] {
        let directory = RepositoryPaths.fixtures.appendingPathComponent("stories")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        var byFeed: [String: [FeedEntry]] = [:]
        let dates = ISO8601DateFormatter()
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                let (title, summary) = (object["title"] as? String ?? "", object["summary"] as? String ?? "")
                byFeed[object["feed"] as? String ?? "", default: []].append(
                    FeedEntry(
                        title: title, link: object["link"] as? String, id: object["guid"] as? String,
                        published: (object["published"] as? String).flatMap(dates.date(from:)), summary: summary,
                        text: ItemText(title: title, summary: summary)))
            }
        }
        return byFeed.keys.sorted().map { id in
            DedupStore.Document(
                feed: feed(id), entries: byFeed[id]!, topics: byFeed[id]!.map { _ in ["topic-a"] })
        }
    }

    /// What a plan decided, item by item, and the alerts it raises.
    static func decisions(_ plans: [DedupPlan]) -> [String] {
        plans.flatMap { plan in
            plan.items.map {
                "\(plan.feedID) \($0.entryIndex) \($0.identity.key) \($0.identity.titleDigest) \($0.storyKey) \($0.isNewStory) \($0.join)"
            }
                + plan.itemInserts.map { "\(plan.feedID) row \($0.itemKey) \($0.urlDigest ?? 0) \($0.titleDigest) \($0.joined ?? "")" }
                + plan.storyURLs.map { "\(plan.feedID) link \($0.digest) \($0.storyKey)" }
                + plan.alerts.map { "\(plan.feedID) alert \($0.id) \($0.entryIndex)" }
        }
    }

    @Test func plansAreTheSameWithEntriesPreparedAhead() throws {
        let documents = try Self.documents()
        #expect(documents.map(\.entries.count).reduce(0, +) >= 1_000)
        let prepared = documents.map { document in
            var document = document
            document.prepared = document.entries.map(PreparedEntry.init)
            return document
        }
        let now = Date(timeIntervalSince1970: 1_642_100_000)
        let plain = try withStore { store, _ in try store.plan(batch: documents, now: now) }
        let ahead = try withStore { store, _ in try store.plan(batch: prepared, now: now) }
        let (expected, actual) = (Self.decisions(plain), Self.decisions(ahead))
        #expect(expected.count > 1_000)
        #expect(actual == expected)
        // The set has copies: some items join stories by their text, which is what the fingerprints decide.
        #expect(plain.flatMap(\.items).contains { if case .sameText = $0.join { true } else { false } })
    }

    @Test func aDocumentWithTooFewPreparedEntriesIsRefused() throws {
        var document = DedupStore.Document(
            feed: feed("a"), entries: [entry(id: "1", title: "Eins"), entry(id: "2", title: "Zwei")], topics: [])
        document.prepared = [PreparedEntry(document.entries[0])]
        try withStore { store, _ in
            #expect(throws: DedupError.self) { try store.plan(batch: [document], now: testNow) }
        }
    }
}
