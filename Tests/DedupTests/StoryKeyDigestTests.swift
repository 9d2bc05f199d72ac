@testable import Dedup
import Foundation
import NewsModel
import NewsTestSupport
import TextNormalization
import Testing

/// Schema v7 finds a story by a 64-bit digest of its key and keeps its last-seen time in `story_seen`: a store
/// written before keeps every story id, key and time, and nothing it had seen alerts again.
struct StoryKeyDigestTests {
    let link = "https://a.example/2022/01/port"
    let title = "Hafen von Triest wird erweitert"

    @Test func v7KeepsTheStoriesOfAStoreWrittenBefore() throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-v7")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("state.sqlite").path
        let identity = try #require(URLCanonicalizer.identity(link))
        let (key, legacyKey) = (SHA256.hexDigest("url:" + identity), "item:legacy\nguid:7")
        let digest = SHA256.digest64(identity)
        let seen = testNow.timeIntervalSince1970 - hours(2)
        let old = testNow.timeIntervalSince1970 - hours(24 * 100)
        // The rows a v6 commit writes for one story with an alert, and a story older than retention.
        let db = try SQLiteConnection(path: path)
        try DedupStore.migrate(db, upTo: 6, now: 0)
        try db.statement(
            """
            INSERT INTO stories (story_id, story_key, fingerprint, feed_id, title, at, first_seen, last_seen)
            VALUES (5, ?, ?, 'a', ?, ?, ?, ?), (9, ?, NULL, NULL, NULL, ?, ?, ?)
            """
        ).bind(
            .text(key), .blob(StoryFingerprint(titleWords: TextNormalizer.words(in: title), summary: "").blob),
            .text(title), .double(seen), .double(seen), .double(seen), .text(legacyKey), .double(old), .double(old),
            .double(old)
        ).run()
        try db.exec(
            """
            INSERT INTO story_urls VALUES (\(digest), 5);
            INSERT INTO feed_polls VALUES ('a', \(seen)), ('legacy', \(old));
            INSERT INTO seen_items (feed_id, item_key, url_digest, title_digest, story_id, first_seen, last_seen, joined)
            VALUES ('a', 'guid:1', \(digest), \(SHA256.digest64(TextNormalizer.words(in: title).joined(separator: " "))), 5,
                \(seen), \(seen), 'started the story'),
                ('legacy', 'guid:7', NULL, 1, 9, \(old), \(old), NULL);
            INSERT INTO alerts VALUES ('\(SHA256.hexDigest(key + "\ntopic-a"))', 5, 'topic-a', 'a', 'guid:1', \(seen));
            """)
        db.close()

        let store = try DedupStore(path: path)
        defer { store.close() }
        #expect(try store.schemaVersion().migrations.last == "v7-story-key-digests")
        let rows = try store.withConnection { db throws(DedupError) -> [String] in
            let statement = try db.statement(
                """
                SELECT s.story_id || ' ' || s.story_key || ' ' || s.key_digest || ' ' || t.last_seen
                FROM stories s JOIN story_seen t USING (story_id) ORDER BY story_id
                """)
            var rows: [String] = []
            while try statement.step() { rows.append(statement.text(0)) }
            statement.reset()
            return rows
        }
        let prefix = Int64(bitPattern: try #require(UInt64(key.prefix(16), radix: 16)))
        #expect(rows == ["5 \(key) \(prefix) \(seen)", "9 \(legacyKey) \(SHA256.digest64(legacyKey)) \(old)"])

        // The same item is seen; a copy under the same link in another feed joins the story and alerts nothing.
        let again = try store.ingest(feed("a"), [entry(id: "1", link: link, title: title)])
        #expect(again.items[0].disposition == .seen && again.alerts.isEmpty)
        let copy = try store.ingest(feed("b"), [entry(id: "x", link: link, title: title)])
        #expect(copy.items[0].storyKey == key && copy.items[0].join == .sameLink)
        #expect(copy.alerts.isEmpty && copy.copies.count == 1)
        // A changed title marks the story seen now; the prune keeps it and drops the old one.
        let updated = try store.ingest(feed("a"), [entry(id: "1", link: link, title: title + " und vertieft")])
        #expect(updated.items[0].disposition == .updated && updated.alerts.isEmpty)
        let lastSeen = try store.withConnection { db throws(DedupError) in
            try db.scalarInt("SELECT CAST(last_seen AS INTEGER) FROM story_seen WHERE story_id = 5")
        }
        #expect(lastSeen == Int64(testNow.timeIntervalSince1970))
        let pruned = try store.prune(now: testNow)
        #expect(pruned.stories == 1 && pruned.seenItems == 1)
        #expect(try store.statistics().stories == 1)
    }

    @Test func twoKeysWithOneDigestAreTwoStories() throws {
        try withStore { store, _ in
            let (first, second) = ("0123456789abcdef" + String(repeating: "a", count: 48), "0123456789abcdef" + String(repeating: "b", count: 48))
            #expect(StoryRows.keyDigest(first) == StoryRows.keyDigest(second))
            let alerts = [first, second, first].enumerated().map { n, key in
                RecoveredAlert(
                    id: "r\(n)", storyKey: key, topic: "topic-a", feedID: "wire", itemKey: "guid:\(n)", title: "Titel \(n)",
                    summary: "", link: nil, published: testNow, detectedAt: testNow)
            }
            let recorded = try store.recover(alerts, now: testNow)
            let stories = try store.statistics().stories
            let (r1, r2) = (try store.alert(id: "r1"), try store.alert(id: "r2"))
            #expect(recorded == 3)
            #expect(stories == 2, "the third alert's story is the first's")
            #expect(r1?.storyKey == second && r2?.storyKey == first)
        }
    }

    @Test func committingAPlanTwiceStartsItsStoriesOnce() throws {
        try withStore { store, _ in
            let plan = try store.plan(
                feed: feed("wire"), entries: [entry(id: "1", link: link, title: title)], topics: [["topic-a"]], now: testNow)
            try store.commit(plan)
            let statistics = try store.statistics()
            #expect(statistics == DedupStatistics(feeds: 1, seenItems: 1, stories: 1, alerts: 1))
        }
    }
}
