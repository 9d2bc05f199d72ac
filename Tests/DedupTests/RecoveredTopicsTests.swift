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
}
