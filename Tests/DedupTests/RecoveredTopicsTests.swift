import Foundation
import NewsModel
import Testing

@testable import Dedup

/// An item matching two topics whose process died after the first alert reached the spool and before the second
/// did: the spool's alert is recorded in the store with its item as seen (`recover`), and the item's second topic
/// must still alert when the feed is polled again, once.
@Suite struct RecoveredTopicsTests {
    let feedA = feed("a")
    let report = entry(
        id: "nrc-1", link: "https://a.example/nrc-1", title: "NATO-Russland-Rat tagt erstmals seit zwei Jahren",
        summary: "Der NATO-Russland-Rat kommt in Brüssel zusammen, während Russland Truppen an der Grenze zur Ukraine zusammenzieht.")
    let topics = [["topic-a", "topic-b"]]

    /// The alert of `planned` as the spool holds it.
    func recovered(_ planned: DedupPlan.Alert, of plan: DedupPlan) -> RecoveredAlert {
        RecoveredAlert(
            id: planned.id, storyKey: planned.storyKey, topic: planned.topic, feedID: plan.feedID,
            itemKey: plan.items[planned.entryIndex].identity.key, title: report.title ?? "", summary: report.summary ?? "",
            link: report.link, published: report.published, detectedAt: testNow)
    }

    @Test func theTopicWhoseAlertDidNotReachTheSpoolAlertsAtTheNextPoll() throws {
        try withStore { store, _ in
            let lost = try store.plan(feed: feedA, entries: [report], topics: topics, now: testNow)
            #expect(lost.alerts.map(\.topic) == ["topic-a", "topic-b"])
            // Only topic-a's alert reached the spool; the plan was never committed.
            #expect(try store.recover([recovered(lost.alerts[0], of: lost)], now: testNow) == 1)

            let next = try store.plan(feed: feedA, entries: [report], topics: topics, now: testNow.addingTimeInterval(600))
            #expect(next.items.first?.disposition == .seen)
            #expect(next.alerts.map(\.id) == [lost.alerts[1].id], "topic-b, under the id it was planned with")
            #expect(next.items.first?.topics.first?.outcome == .alreadyAlerted(alertID: lost.alerts[0].id, feedID: "a"))
            try store.commit(next)

            let after = try store.plan(feed: feedA, entries: [report], topics: topics, now: testNow.addingTimeInterval(1200))
            #expect(after.alerts.isEmpty, "raised once")
        }
    }

    @Test func anItemSeenByACommittedPlanRaisesNothingAgain() throws {
        try withStore { store, _ in
            try store.ingest(feedA, [report], topics: topics)
            let next = try store.plan(feed: feedA, entries: [report], topics: topics, now: testNow.addingTimeInterval(600))
            #expect(next.alerts.isEmpty)
            #expect(next.items.first?.topics.map(\.outcome) == [.notEligible, .notEligible])
        }
    }

    /// A wire report (no topic matched it) and an outlet's copy of it (which alerts) in one batch; only the copy's
    /// alert reached the spool. The story is recorded without a first report, so that the replanned batch decides
    /// as the first plan did: the wire report founds the story again and its commit fills the report in.
    @Test func aStoryRecoveredFromACopyGetsItsFirstReportWhenItsFounderIsPlannedAgain() throws {
        let summary = "Die Außenminister der NATO und Russlands treffen sich am Mittwoch in Brüssel zum ersten Mal seit zwei "
            + "Jahren. Im Mittelpunkt stehen die Truppenbewegungen an der Grenze zur Ukraine und die Rüstungskontrolle."
        let wire = entry(
            id: "w-1", link: "https://wire.example/w-1", title: "Außenminister treffen sich in Brüssel", summary: summary,
            published: testNow.addingTimeInterval(-hours(3)))
        let copy = entry(
            id: "c-1", link: "https://c.example/c-1", title: "Eilmeldung: Außenminister treffen sich in Brüssel",
            summary: summary, published: testNow.addingTimeInterval(-hours(2)))
        let documents = [
            DedupStore.Document(feed: feed("c"), entries: [copy], topics: [["topic-a"]]),
            DedupStore.Document(feed: feed("wire"), entries: [wire], topics: [[]]),
        ]
        try withStore { store, _ in
            let first = try store.plan(batch: documents, now: testNow)
            #expect(first[1].items[0].join == .founded)
            guard case .sameText = first[0].items[0].join else {
                Issue.record("the copy should join the wire's story by its text")
                return
            }
            let alert = try #require(first[0].alerts.first)
            #expect(try store.recover(
                [RecoveredAlert(
                    id: alert.id, storyKey: alert.storyKey, topic: alert.topic, feedID: "c", itemKey: "guid:c-1",
                    title: copy.title ?? "", summary: summary, link: copy.link, published: copy.published, detectedAt: testNow)],
                now: testNow) == 1)

            let again = try store.plan(batch: documents, now: testNow.addingTimeInterval(600))
            #expect(again[1].items[0].join == .founded && again[1].items[0].storyKey == alert.storyKey)
            #expect(again[0].items[0].disposition == .seen && again[0].items[0].storyKey == alert.storyKey)
            #expect(again.flatMap(\.alerts).isEmpty)
            try store.commit(again)
            let origin = try #require(try store.explain(feedID: "c", item: "guid:c-1")).origin
            #expect(origin.feedID == "wire" && origin.title == "Außenminister treffen sich in Brüssel")

            // A later copy of the wire's report in a third feed joins the story: its first report is the wire's.
            let later = entry(
                id: "d-1", link: "https://d.example/d-1", title: "Außenminister treffen sich in Brüssel (dpa)",
                summary: summary, published: testNow.addingTimeInterval(-hours(1)))
            let third = try store.plan(feed: feed("d"), entries: [later], topics: [["topic-a"]], now: testNow.addingTimeInterval(1200))
            #expect(third.items[0].storyKey == alert.storyKey)
            #expect(third.alerts.isEmpty)
        }
    }
}
