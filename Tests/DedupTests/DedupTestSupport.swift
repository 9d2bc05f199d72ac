import Dedup
import Foundation
import NewsModel
import NewsTestSupport

/// A store in a fresh temporary directory; `body` gets the store and the directory.
@discardableResult
func withStore<T>(
    configuration: DedupConfiguration = DedupConfiguration(),
    _ body: (DedupStore, TemporaryDirectory) throws -> T
) throws -> T {
    let directory = try TemporaryDirectory(prefix: "newsmon-dedup")
    defer { directory.remove() }
    let store = try DedupStore(path: directory.url.appendingPathComponent("state.sqlite").path, configuration: configuration)
    defer { store.close() }
    return try body(store, directory)
}

/// A fixed "now" for tests: 2022-01-12T10:00:00Z.
let testNow = Date(timeIntervalSince1970: 1_641_981_600)

func hours(_ h: Double) -> TimeInterval { h * 3600 }

/// A news-like entry; `text` mirrors title and summary as the parser would.
func entry(
    id: String? = nil,
    link: String? = nil,
    title: String,
    summary: String = "",
    published: Date? = testNow.addingTimeInterval(-hours(1))
) -> FeedEntry {
    FeedEntry(
        title: title, link: link, id: id, published: published, summary: summary,
        text: ItemText(title: title, summary: summary))
}

func feed(_ id: String, backfill: Backfill = .all) -> FeedSource {
    FeedSource(id: id, url: "https://\(id).example/feed.xml", backfill: backfill)
}

extension DedupStore {
    /// Plan and commit in one go (as the daemon does after the spool write); returns the plan.
    @discardableResult
    func ingest(_ feed: FeedSource, _ entries: [FeedEntry], topics: [[String]]? = nil, now: Date = testNow) throws
        -> DedupPlan
    {
        let plan = try plan(
            feed: feed, entries: entries, topics: topics ?? entries.map { _ in ["topic-a"] }, now: now)
        try commit(plan)
        return plan
    }
}
