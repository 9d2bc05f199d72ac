import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Dedup

/// The plans keep `story_urls`' link digests in memory and look up only the links among them: a link committed,
/// recovered from the spool or loaded in bulk after the digests were read is still found, and its item joins the
/// link's story, never founds one of its own.
@Suite struct LinkDigestsTests {
    /// Another outlet's item with the same link and a text of its own: it can join the first story only by its link.
    func sameLinkElsewhere(_ link: String, id: String) -> FeedEntry {
        entry(
            id: id, link: link, title: "Kurzmeldung ohne gemeinsamen Wortlaut \(id)",
            summary: "Ein ganz anderer Text über Wetter, Verkehr und Fußball am Wochenende \(id).")
    }

    @Test func aLinkCommittedAfterTheDigestsWereReadIsFound() throws {
        try withStore { store, _ in
            // The first plan reads the (empty) table; the commit then adds its link.
            let first = try store.ingest(
                feed("a"),
                [entry(id: "a-1", link: "https://news.example/2022/01/nato-rat", title: "NATO-Russland-Rat tagt in Brüssel",
                       summary: "Die Botschafter kommen am Mittwoch zusammen. Es ist das erste Treffen seit 2019.")])
            let key = try #require(first.items.first?.storyKey)
            #expect(first.items[0].isNewStory)
            let copy = try store.plan(
                feed: feed("b"), entries: [sameLinkElsewhere("https://news.example/2022/01/nato-rat", id: "b-1")],
                topics: [["topic-a"]], now: testNow)
            #expect(copy.items[0].join == .sameLink && copy.items[0].storyKey == key)
            // An unknown link is not taken for a known one.
            let other = try store.plan(
                feed: feed("b"), entries: [sameLinkElsewhere("https://news.example/2022/01/anderes", id: "b-2")],
                topics: [["topic-a"]], now: testNow)
            #expect(other.items[0].join == .founded)
        }
    }

    @Test func aLinkRecoveredFromTheSpoolAfterTheDigestsWereReadIsFound() throws {
        try withStore { store, _ in
            try store.ingest(feed("a"), [entry(id: "a-1", link: "https://a.example/1", title: "Etwas ganz anderes")])
            let link = "https://news.example/2022/01/truppen"
            let lost = try store.plan(
                feed: feed("c"),
                entries: [entry(id: "c-1", link: link, title: "Truppen an der Grenze zur Ukraine",
                                summary: "Satellitenbilder zeigen neue Stellungen. Die Zahl der Soldaten steigt weiter.")],
                topics: [["topic-a"]], now: testNow)
            let alert = try #require(lost.alerts.first)
            // The process died between the spool and the commit: the alert is recovered from the spool.
            #expect(try store.recover(
                [RecoveredAlert(
                    id: alert.id, storyKey: alert.storyKey, topic: alert.topic, feedID: "c", itemKey: lost.items[0].identity.key,
                    title: "Truppen an der Grenze zur Ukraine", summary: "Satellitenbilder zeigen neue Stellungen.",
                    link: link, published: testNow.addingTimeInterval(-hours(1)), detectedAt: testNow)],
                now: testNow) == 1)
            let copy = try store.plan(
                feed: feed("d"), entries: [sameLinkElsewhere(link, id: "d-1")], topics: [["topic-a"]], now: testNow)
            #expect(copy.items[0].join == .sameLink && copy.items[0].storyKey == alert.storyKey)
            #expect(copy.alerts.isEmpty)
        }
    }

    @Test func linksLoadedInBulkAfterTheDigestsWereReadAreFound() throws {
        try withStore { store, _ in
            try store.ingest(feed("a"), [entry(id: "a-1", link: "https://a.example/1", title: "Etwas ganz anderes")])
            let link = "https://bulk.example/story-7"
            try store.bulkLoad(
                [DedupStore.BulkItem(
                    feedID: "bulk", id: "7", link: link, normalizedTitle: "geladen", normalizedSummary: "ein geladener text",
                    published: testNow.addingTimeInterval(-hours(2)), seenAt: testNow, topics: [])],
                now: testNow)
            let copy = try store.plan(
                feed: feed("e"), entries: [sameLinkElsewhere(link, id: "e-1")], topics: [["topic-a"]], now: testNow)
            #expect(copy.items[0].join == .sameLink)
        }
    }

    @Test func aLinkIsFoundAfterTheDigestsAreRetired() throws {
        try withStore { store, _ in
            let link = "https://news.example/2022/01/rat"
            let first = try store.ingest(
                feed("a"), [entry(id: "a-1", link: link, title: "Rat tagt", summary: "Die Botschafter beraten lange.")])
            // Two days later the story index is read for a later horizon: the digests are retired, links looked up.
            let later = testNow.addingTimeInterval(hours(48))
            let copy = try store.plan(
                feed: feed("b"), entries: [sameLinkElsewhere(link, id: "b-1")], topics: [["topic-a"]], now: later)
            #expect(copy.items[0].join == .sameLink && copy.items[0].storyKey == first.items[0].storyKey)
        }
    }

    @Test func retiredDigestsStayRetired() {
        var digests = LinkDigests()
        digests.retire()
        digests.forget()
        #expect(digests.mayHaveStory(42))
    }

    @Test func digestsNotReadYetRuleNoLinkOut() {
        var digests = LinkDigests()
        #expect(digests.mayHaveStory(1))
        digests.insert([1, 2])  // a commit before the first read: still unknown, not a set of two
        #expect(digests.mayHaveStory(3))
        digests.forget()
        #expect(digests.mayHaveStory(3))
    }
}
