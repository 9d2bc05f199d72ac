import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Dedup

/// A batch's commit writes its links, items and touched stories in key order, not plan by plan, and `newsmon once`
/// saves a chunk's feed states in one transaction: every row the plans ask for is recorded, with its own story.
@Suite struct BatchCommitTests {
    /// The rows a plan asks for: its new items with their story keys, its links and its alerts.
    static func expectedRows(_ plans: [DedupPlan]) -> [String] {
        plans.flatMap { plan in
            let now = plan.now.timeIntervalSince1970
            return plan.itemInserts.map {
                "item \(plan.feedID) \($0.itemKey) \($0.urlDigest.map(String.init) ?? "-") \($0.titleDigest) \($0.storyKey) \(now) \($0.joined ?? "-")"
            }
                + plan.storyURLs.map { "link \($0.digest) \($0.storyKey)" }
                + plan.alerts.map { "alert \($0.id) \($0.storyKey) \($0.topic) \(plan.feedID) \(plan.items[$0.entryIndex].identity.key)" }
        }.sorted()
    }

    /// What the store recorded of the same kinds, in the same form.
    static func recordedRows(_ store: DedupStore) throws -> [String] {
        try store.withConnection { db throws(DedupError) -> [String] in
            var rows: [String] = []
            for sql in [
                """
                SELECT 'item ' || i.feed_id || ' ' || i.item_key || ' ' || ifnull(i.url_digest, '-') || ' ' || i.title_digest
                    || ' ' || s.story_key || ' ' || i.first_seen || ' ' || ifnull(i.joined, '-')
                FROM seen_items i JOIN stories s USING (story_id)
                """,
                "SELECT 'link ' || u.url_digest || ' ' || s.story_key FROM story_urls u JOIN stories s USING (story_id)",
                """
                SELECT 'alert ' || a.alert_id || ' ' || s.story_key || ' ' || a.topic || ' ' || a.feed_id || ' ' || a.item_key
                FROM alerts a JOIN stories s USING (story_id)
                """,
            ] {
                let statement = try db.statement(sql)
                defer { statement.reset() }
                while try statement.step() { rows.append(statement.text(0)) }
            }
            return rows.sorted()
        }
    }

    /// Each story's last-seen time, by key.
    static func lastSeen(_ store: DedupStore) throws -> [String: Double] {
        try store.withConnection { db throws(DedupError) -> [String: Double] in
            let statement = try db.statement("SELECT s.story_key, t.last_seen FROM story_seen t JOIN stories s USING (story_id)")
            defer { statement.reset() }
            var times: [String: Double] = [:]
            while try statement.step() { times[statement.text(0)] = statement.double(1) }
            return times
        }
    }

    @Test func aBatchRecordsEveryRowItsPlansAskForAndTouchesTheirStories() throws {
        let documents = try PreparedEntryTests.documents()
        let first = Date(timeIntervalSince1970: 1_642_100_000)
        let second = first.addingTimeInterval(hours(48))
        try withStore { store, _ in
            let plans = try store.plan(batch: documents, now: first)
            try store.commit(plans)
            let expected = Self.expectedRows(plans)
            #expect(expected.count > 2_000)
            #expect(expected.contains { $0.hasPrefix("link ") } && expected.contains { $0.hasPrefix("alert ") })
            // Items that joined stories other plans of the batch founded, in the plans' key order or not.
            #expect(plans.flatMap(\.items).contains { !$0.isNewStory && $0.join != .repeatedInDocument })
            #expect(try Self.recordedRows(store) == expected)
            let founded = try Self.lastSeen(store)
            #expect(founded.count == Set(plans.flatMap(\.newStories).map(\.key)).count)
            #expect(founded.values.allSatisfy { $0 == first.timeIntervalSince1970 })

            // Two days later half of the feeds are polled again: the stories of their items are touched, no others.
            let again = try store.plan(batch: Array(documents.prefix(documents.count / 2)), now: second)
            try store.commit(again)
            let touched = Set(again.flatMap(\.touchedStories))
            #expect(!touched.isEmpty && touched.count < founded.count)
            for (key, time) in try Self.lastSeen(store) {
                #expect(time == (touched.contains(key) ? second : first).timeIntervalSince1970, "story \(key)")
            }
        }
    }

    @Test func feedStatesSavedTogetherReadBackAndReplaceEarlierOnes() throws {
        try withStore { store, _ in
            let states = (0..<5).map { n in
                StoredFeedState(
                    feedID: "feed-\(n)", url: "https://feed-\(n).example/rss", etag: "\"v\(n)\"", lastStatus: 200,
                    nextDue: testNow.addingTimeInterval(Double(n) * 60), lastItemCount: n)
            }
            try store.saveFeedStates(states)
            #expect(try store.allFeedStates() == states)
            var changed = states
            changed[2].etag = "\"v2b\""
            changed[2].consecutiveErrors = 3
            try store.saveFeedStates([changed[2]])
            #expect(try store.allFeedStates() == changed)
            try store.saveFeedStates([])
            #expect(try store.allFeedStates() == changed)
        }
    }
}
