@testable import Dedup
import Foundation
import NewsModel
import Testing

/// Every statement on the hot path must be an index search: a scan would make dedup cost grow with
/// the store (the benchmark found one once).
struct QueryPlanTests {
    @Test func planAndCommitOnlySearchIndexes() throws {
        try withStore { store, _ in
            let f = feed("wire")
            try store.ingest(f, [entry(id: "1", link: "https://a.example/1", title: "Nato-Russland-Rat tagt in Brüssel")])
            // Rotated id, known link; a new item with a near-duplicate text; an update.
            try store.ingest(f, [
                entry(id: "1b", link: "https://a.example/1", title: "Nato-Russland-Rat tagt in Brüssel"),
                entry(id: "2", title: "Nato-Russland-Rat tagt in Brüssel heute", summary: "Vertreter beraten"),
                entry(id: "1", link: "https://a.example/1", title: "Nato-Russland-Rat tagt"),
            ], now: testNow.addingTimeInterval(86_400 * 2))
            let plans = try store.withConnection { db throws(DedupError) -> [String: String] in
                var plans: [String: String] = [:]
                for sql in db.preparedSQL where sql.hasPrefix("SELECT") || sql.contains("\nSELECT") || sql.hasPrefix("\nSELECT") {
                    // Reading the link digests scans `story_urls` by design, once per load, not per entry.
                    if sql == LinkDigests.loadingSQL { continue }
                    let explain = try db.statement("EXPLAIN QUERY PLAN " + sql)
                    var lines: [String] = []
                    while try explain.step() { lines.append(explain.text(3)) }
                    explain.reset()
                    plans[sql] = lines.joined(separator: "\n")
                }
                return plans
            }
            #expect(plans.count >= 6, "the hot SELECTs were prepared")
            for (sql, plan) in plans {
                for table in ["seen_items", "stories", "story_urls", "alerts", "feed_polls", " i", " s", " u"] {
                    #expect(!plan.contains("SCAN" + (table.hasPrefix(" ") ? table : " " + table)), "\(sql)\n\(plan)")
                }
                if sql.contains("i.url_digest = u.url_digest") {
                    #expect(plan.contains("seen_items_story (story_id=? AND feed_id=? AND url_digest=?)"), "\(plan)")
                    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
                }
                if sql.contains("i.url_digest = ? ORDER BY") {
                    // Only for a link listed in `link_exceptions`: the feed's items, as before v6.
                    #expect(plan.contains("SEARCH i USING PRIMARY KEY (feed_id=?)"), "\(plan)")
                } else if plan.contains("SEARCH i USING PRIMARY KEY") {
                    #expect(plan.contains("(feed_id=? AND item_key=?)"), "\(plan)")
                }
            }
        }
    }
}
