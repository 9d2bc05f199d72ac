@testable import Dedup
import Foundation
import NewsModel
import NewsTestSupport
import Testing

/// Schema v6 finds a feed's item by link through `story_urls`; where a feed's item with the link belongs to
/// another story, `link_exceptions` keeps the look-up of before (the same item, so the same decision).
struct LinksByStoryTests {
    let link = "https://a.example/2022/01/port"

    @Test func aLinkARecoveredAlertMappedToAnotherStoryKeepsItsItem() throws {
        try withStore { store, _ in
            let first = try store.ingest(feed("wire"), [entry(id: "1", link: link, title: "Hafen von Triest wird erweitert")])
            let recoveredKey = String(repeating: "ab", count: 32)
            try store.recover(
                [
                    RecoveredAlert(
                        id: "r1", storyKey: recoveredKey, topic: "topic-b", feedID: "other", itemKey: "guid:old",
                        title: "Triest baut aus", summary: "", link: link, published: testNow, detectedAt: testNow)
                ], now: testNow)
            // The feed rotates its id: the link's item is the recovered one, not the story `story_urls` names.
            let plan = try store.ingest(
                feed("other"), [entry(id: "new", link: link, title: "Triest baut aus")], now: testNow + hours(1))
            #expect(first.items[0].storyKey != recoveredKey)
            #expect(plan.items[0].storyKey == recoveredKey)
            #expect(plan.items[0].disposition == .seen)
            #expect(plan.alerts.isEmpty)
        }
    }

    @Test func aRotatedIdOfAnOrdinaryLinkGoesThroughItsStory() throws {
        try withStore { store, _ in
            let first = try store.ingest(feed("wire"), [entry(id: "1", link: link, title: "Hafen von Triest wird erweitert")])
            let plan = try store.ingest(
                feed("wire"), [entry(id: "2", link: link, title: "Hafen von Triest wird erweitert")], now: testNow + hours(1))
            #expect(plan.items[0].storyKey == first.items[0].storyKey)
            #expect(plan.items[0].disposition == .seen)
            let listed = try store.withConnection { db throws(DedupError) in try db.scalarInt("SELECT count(*) FROM link_exceptions") }
            #expect(listed == 0)
        }
    }

    @Test func v6ListsTheLinksOfAStoreWrittenBefore() throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-v6")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("state.sqlite").path
        let digest = SHA256.digest64(URLCanonicalizer.identity(link) ?? link)
        let (storyS, storyT) = (String(repeating: "0a", count: 32), String(repeating: "0b", count: 32))
        let db = try SQLiteConnection(path: path)
        try DedupStore.migrate(db, upTo: 5, now: 0)
        let seen = testNow.timeIntervalSince1970 - hours(2)
        try db.exec(
            """
            INSERT INTO stories (story_id, story_key, at, first_seen, last_seen) VALUES
                (1, '\(storyS)', \(seen), \(seen), \(seen)), (2, '\(storyT)', \(seen), \(seen), \(seen));
            INSERT INTO story_urls VALUES (\(digest), 1);
            INSERT INTO feed_polls VALUES ('a', \(seen)), ('b', \(seen));
            INSERT INTO seen_items (feed_id, item_key, url_digest, title_digest, story_id, first_seen, last_seen) VALUES
                ('a', 'guid:1', \(digest), 1, 1, \(seen), \(seen)), ('b', 'guid:old', \(digest), 1, 2, \(seen), \(seen)),
                ('b', 'guid:gone', 7, 1, 3, \(seen), \(seen));
            """)
        db.close()

        let store = try DedupStore(path: path)
        defer { store.close() }
        #expect(try store.schemaVersion().migrations.contains("v6-links-by-story"))
        let listed = try store.withConnection { db throws(DedupError) -> [String] in
            let statement = try db.statement("SELECT feed_id || ':' || url_digest FROM link_exceptions")
            var rows: [String] = []
            while try statement.step() { rows.append(statement.text(0)) }
            statement.reset()
            return rows
        }
        #expect(Set(listed) == ["b:7", "b:\(digest)"], "another story's item, an item whose story is gone")
        let a = try store.ingest(feed("a"), [entry(id: "2", link: link, title: "Neu")], now: testNow)
        let b = try store.ingest(feed("b"), [entry(id: "new", link: link, title: "Neu")], now: testNow)
        #expect(a.items[0].storyKey == storyS)
        #expect(b.items[0].storyKey == storyT)
    }

    @Test func pruningAStoryListsTheLinksOfItsSurvivingItems() throws {
        try withStore { store, _ in
            try store.ingest(feed("wire"), [entry(id: "1", link: link, title: "Hafen von Triest wird erweitert")])
            try store.withConnection { db throws(DedupError) in
                // An item refreshed later than its story (a title update touches both today; a store may differ).
                try db.exec("UPDATE seen_items SET last_seen = last_seen + 1e9")
            }
            try store.prune(now: testNow.addingTimeInterval(86_400 * 200))
            let listed = try store.withConnection { db throws(DedupError) in try db.scalarInt("SELECT count(*) FROM link_exceptions") }
            #expect(listed == 1)
        }
    }
}
