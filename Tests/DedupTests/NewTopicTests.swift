import Dedup
import Foundation
import NewsModel
import Testing

/// A topic added to feeds.conf later is matched once against the items already in the feeds, within their
/// feed's backfill window; the other topics' alerts are not repeated.
struct NewTopicTests {
    @Test func aNewTopicAlertsOnceOnItemsSeenBeforeItWithinTheBackfillWindow() throws {
        try withStore { store, _ in
            let source = feed("wire", backfill: .window(.seconds(86_400)))
            let recent = entry(id: "recent", title: "Nato-Russland-Rat tagt in Brüssel", summary: "Botschafter beraten über Truppen.")
            let old = entry(
                id: "old", title: "Truppen an der Grenze verlegt", summary: "Satellitenbilder zeigen neue Lager.",
                published: testNow.addingTimeInterval(-hours(72)))
            #expect(try store.registerTopics(["a"], now: testNow) == [], "the first topics a store records date from the start")
            let first = try store.ingest(source, [recent, old], topics: [["a"], ["a"]])
            #expect(first.alerts.map(\.topic) == ["a"], "the old item is backfilled")
            try store.saveFeedState(StoredFeedState(feedID: "wire", url: source.url, etag: "\"v1\""))

            let later = testNow.addingTimeInterval(hours(2))
            #expect(try store.registerTopics(["a", "b"], now: later) == ["b"])
            #expect(try store.feedState(id: "wire")?.etag == nil, "the next poll brings the whole document")
            let second = try store.ingest(source, [recent, old], topics: [["a", "b"], ["a", "b"]], now: later)
            #expect(second.alerts.map(\.topic) == ["b"], "b sees the recent item; a is not repeated; the old one is outside the window")
            #expect(second.alerts.first?.storyKey == first.alerts.first?.storyKey)
            #expect(second.items.allSatisfy { $0.disposition == .seen })

            let third = try store.ingest(source, [recent, old], topics: [["a", "b"], ["a", "b"]], now: later.addingTimeInterval(600))
            #expect(third.alerts.isEmpty, "matched once")
            #expect(try store.registerTopics(["a", "b"], now: later) == [])
        }
    }

    @Test func itemsSeenAfterATopicWasAddedGetNothingExtra() throws {
        try withStore { store, _ in
            let source = feed("wire")
            try store.registerTopics(["a"], now: testNow)
            try store.registerTopics(["a", "b"], now: testNow)
            let item = entry(id: "1", title: "Nato-Russland-Rat tagt in Brüssel")
            let later = testNow.addingTimeInterval(60)
            #expect(try store.ingest(source, [item], topics: [["a"]], now: later).alerts.map(\.topic) == ["a"])
            // Seen after b was added: b did not match it then, and does not get a second chance.
            #expect(try store.ingest(source, [item], topics: [["a", "b"]], now: later.addingTimeInterval(60)).alerts.isEmpty)
        }
    }
}

/// How an item joined its story is kept for logs and `newsmon explain`, with the words the copies share.
struct JoinDescriptionTests {
    @Test func aCopyJoinedByTextNamesTheEvidenceAndSharedWords() throws {
        try withStore { store, _ in
            let text = "Brüssel (dpa) - Erstmals seit 2019 kommen Botschafter der Nato und Russlands im Nato-Russland-Rat zusammen."
            try store.ingest(feed("a"), [entry(id: "1", link: "https://a.example/1", title: "Nato-Russland-Rat tagt wieder", summary: text)])
            let copy = try store.ingest(
                feed("b"),
                [entry(id: "9", link: "https://b.example/9", title: "Konflikte: Nato-Russland-Rat tagt wieder", summary: text)])
            let description = copy.items[0].join.description
            #expect(description.hasPrefix("same text: score "), "\(description)")
            #expect(description.contains("shared: nato, russland, rat, tagt"), "\(description)")
            let explained = try #require(try store.explain(feedID: "b", item: "9"))
            #expect(explained.item.joined == description)
            #expect(explained.origin.feedID == "a" && explained.origin.title == "Nato-Russland-Rat tagt wieder")
            #expect(explained.members.count == 2)
        }
    }
}
