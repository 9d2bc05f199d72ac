@testable import Dedup
import Foundation
import NewsModel
import NewsTestSupport
import Testing

struct StoreLifecycleTests {
    @Test func migratesAnEmptyDatabaseAndReopens() throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-dedup")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("state.sqlite").path
        let store = try DedupStore(path: path)
        let first = try store.schemaVersion()
        #expect(first.version == DedupStore.migrations.count)
        #expect(first.migrations == DedupStore.migrations.map(\.name))
        #expect(first.migrations.prefix(2) == ["v1-create-state", "v2-drop-story-bands-date-index"])
        store.close()

        let reopened = try DedupStore(path: path)
        defer { reopened.close() }
        let second = try reopened.schemaVersion()
        #expect(second.version == first.version)
        #expect(second.migrations == first.migrations, "migrations run once")
        #expect(try reopened.statistics() == DedupStatistics(feeds: 0, seenItems: 0, stories: 0, alerts: 0))
    }

    @Test func aCommitLeavesNoPageCacheBehind() throws {
        try withStore { store, _ in
            let entries = (0..<300).map {
                entry(id: "item-\($0)", link: "https://a.example/\($0)", title: "Report number \($0) on the matter",
                    summary: "A summary of report \($0), long enough to be a teaser of its own, with words.")
            }
            try store.ingest(feed("a"), entries)
            let afterCommit = try store.withConnection { db throws(DedupError) in db.releaseCache() }
            let afterRead = try store.withConnection { db throws(DedupError) in
                _ = try db.scalarInt("SELECT sum(length(item_key)) FROM seen_items")
                return db.releaseCache()
            }
            #expect(afterCommit < 64 << 10, "the commit released the pages it wrote")
            #expect(afterRead > afterCommit, "a read caches pages again, and releasing reports them")
        }
    }

    @Test func migratesStepByStepFromAnyVersion() throws {
        let db = try SQLiteConnection(path: ":memory:")
        defer { db.close() }
        try DedupStore.migrate(db, upTo: 0, now: 0)
        #expect(try db.scalarInt("PRAGMA user_version") == 0)
        try DedupStore.migrate(db, upTo: 1, now: 0)
        #expect(try db.scalarInt("PRAGMA user_version") == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'story_bands_at'") == 1)
        try DedupStore.migrate(db, now: 0)
        #expect(try db.scalarInt("PRAGMA user_version") == Int64(DedupStore.migrations.count))
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'story_bands_at'") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'story_bands'") == 0, "v3")
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'stories_matchable'") == 1, "v3")
        #expect(try db.scalarInt("SELECT count(*) FROM schema_migrations") == Int64(DedupStore.migrations.count))
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_items'") == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_items_url'") == 0, "v6")
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_items_story'") == 1, "v6")
    }

    @Test func aFeedStoredBeforeV5HasRecoveredNoDocument() throws {
        let db = try SQLiteConnection(path: ":memory:")
        defer { db.close() }
        try DedupStore.migrate(db, upTo: 4, now: 0)
        try db.exec("INSERT INTO feeds (feed_id, url, last_error) VALUES ('old', 'https://example.org/feed', '3:1: x')")
        try DedupStore.migrate(db, now: 0)
        #expect(try db.scalarInt("SELECT recovered_documents FROM feeds WHERE feed_id = 'old'") == 0)
    }

    @Test func refusesASchemaNewerThanItKnows() throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-dedup")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("future.sqlite").path
        let db = try SQLiteConnection(path: path)
        try db.exec("PRAGMA user_version = 99")
        db.close()
        #expect {
            try DedupStore(path: path)
        } throws: { error in
            let error = error as? DedupError
            return error?.code == .migration && error?.path == path && error?.message.contains("99") == true
        }
    }

    @Test func reportsAnUnopenablePath() throws {
        let path = "/nonexistent-newsmon-dir/sub/state.sqlite"
        #expect {
            try DedupStore(path: path)
        } throws: { error in
            let error = error as? DedupError
            return error?.code == .open && error?.sqliteCode != nil && "\(error!)".contains(path)
        }
    }

    @Test func usesWAL() throws {
        try withStore { store, _ in
            let mode = try store.withConnection { db throws(DedupError) in
                let statement = try db.statement("PRAGMA journal_mode")
                defer { statement.reset() }
                _ = try statement.step()
                return statement.text(0)
            }
            #expect(mode == "wal")
        }
    }

    @Test func restartKeepsEverything() throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-dedup")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("state.sqlite").path
        let f = feed("tagesschau", backfill: .window(.zero))
        let entries = [
            entry(id: "a", link: "https://www.example.de/a", title: "Nato-Russland-Rat tagt"),
            entry(id: "b", title: "Truppenaufmarsch an der Grenze", summary: "Satellitenbilder zeigen Panzer und Lazarette."),
        ]
        var state = StoredFeedState(feedID: f.id, url: f.url, etag: "\"abc\"", lastStatus: 200, lastSuccess: testNow)
        var alertID = ""
        do {
            let store = try DedupStore(path: path)
            try store.ingest(f, [])
            let plan = try store.ingest(f, entries, now: testNow.addingTimeInterval(60))
            alertID = try #require(plan.alerts.first?.id)
            try store.saveFeedState(state)
            try store.ingest(feed("other"), [entry(id: "x", link: "https://example.de/a?utm_source=x", title: "Rat tagt")])
            store.close()
            #expect { try store.statistics() } throws: { ($0 as? DedupError)?.code == .closed }
        }
        let store = try DedupStore(path: path)
        defer { store.close() }
        let again = try store.plan(feed: f, entries: entries, topics: [["topic-a"], ["topic-a"]], now: testNow.addingTimeInterval(120))
        #expect(!again.isFirstPoll)
        #expect(again.items.allSatisfy { $0.disposition == .seen })
        #expect(again.alerts.isEmpty)
        #expect(try store.feedState(id: f.id) == state)
        #expect(try store.alert(id: alertID)?.alsoIn == ["other"])
        state.consecutiveErrors = 3
        try store.saveFeedState(state)
        #expect(try store.feedState(id: f.id)?.consecutiveErrors == 3)
    }

    @Test func feedStateRoundTripsEveryField() throws {
        try withStore { store, _ in
            let full = StoredFeedState(
                feedID: "bbc", url: "http://feeds.example.co.uk/news/rss.xml",
                movedToURL: "https://feeds.example.co.uk/news/rss.xml", etag: "W/\"5e-1\"",
                lastModified: "Wed, 12 Jan 2022 09:58:00 GMT", lastStatus: 429, consecutiveErrors: 2,
                nextDue: testNow.addingTimeInterval(900), lastAttempt: testNow, lastSuccess: testNow.addingTimeInterval(-600),
                lastItemCount: 42, goneSince: testNow.addingTimeInterval(-86_400), retryAfter: testNow.addingTimeInterval(120),
                lastError: "HTTP 429 Too Many Requests", recoveredDocuments: 7)
            let bare = StoredFeedState(feedID: "a-local", url: "file:///srv/feeds/a.xml")
            try store.saveFeedState(full)
            try store.saveFeedState(bare)
            #expect(try store.feedState(id: "bbc") == full)
            #expect(try store.feedState(id: "a-local") == bare)
            #expect(try store.feedState(id: "missing") == nil)
            #expect(try store.allFeedStates().map(\.feedID) == ["a-local", "bbc"])
            try store.removeFeedState(id: "a-local")
            #expect(try store.allFeedStates() == [full])
        }
    }

    @Test func storeIsUsableFromConcurrentTasks() async throws {
        let directory = try TemporaryDirectory(prefix: "newsmon-dedup")
        defer { directory.remove() }
        let store = try DedupStore(path: directory.url.appendingPathComponent("state.sqlite").path)
        defer { store.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<8 {
                group.addTask {
                    let f = feed("feed-\(n)")
                    for poll in 0..<5 {
                        let entries = (0..<10).map { entry(id: "\(n)-\(poll)-\($0)", title: "Meldung \(n) \(poll) \($0)") }
                        try store.ingest(f, entries, topics: entries.map { _ in [] })
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.statistics().seenItems == 400)
        #expect(try store.statistics().feeds == 8)
    }
}

struct BulkLoadTests {
    /// The benchmark's fast loader must produce what plan + commit would: later polls see the items.
    @Test func bulkLoadedItemsAreSeenLikeCommittedOnes() throws {
        try withStore { store, _ in
            let link = "https://news.example/a/1?utm_source=rss"
            try store.bulkLoad([
                DedupStore.BulkItem(
                    feedID: "wire", id: "w-1", link: link, normalizedTitle: "nato russland rat tagt",
                    normalizedSummary: "vertreter treffen sich in bruessel", published: testNow, seenAt: testNow,
                    topics: ["nato-russia-council"])
            ], now: testNow)
            let same = entry(id: "w-1", link: link, title: "Nato-Russland-Rat tagt", summary: "Vertreter treffen sich in Brüssel")
            let again = try store.plan(feed: feed("wire"), entries: [same], topics: [["nato-russia-council"]], now: testNow)
            #expect(!again.isFirstPoll)
            #expect(again.items[0].disposition == .seen)
            let elsewhere = try store.plan(
                feed: feed("other"), entries: [entry(id: "o-1", link: "http://news.example/a/1", title: "Rat tagt")],
                topics: [["nato-russia-council"]], now: testNow)
            #expect(elsewhere.alerts.isEmpty)
            #expect(elsewhere.copies.count == 1, "the bulk-loaded alert exists under the same id")
            let reworded = try store.plan(
                feed: feed("third"),
                entries: [entry(id: "t-1", title: "Nato-Russland-Rat tagt in Brüssel", summary: "Vertreter treffen sich")],
                topics: [["nato-russia-council"]], now: testNow)
            #expect(reworded.items[0].storyKey == again.items[0].storyKey, "fingerprint rows match the normal path")
        }
    }
}
