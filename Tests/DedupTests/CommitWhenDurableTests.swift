import Foundation
import Testing

@testable import Dedup

/// `commit(_:when:)`: the store writes the plans while the caller makes their alerts durable, and records them
/// only when the caller says they are.
@Suite struct CommitWhenDurableTests {
    static let entries = [
        entry(id: "1", link: "https://a.example/nato-rat", title: "Nato-Russland-Rat tagt in Brüssel",
              summary: "Erstmals seit zwei Jahren kommen Vertreter beider Seiten wieder zusammen."),
        entry(id: "2", link: "https://a.example/truppen", title: "Truppen an der Grenze zur Ukraine",
              summary: "Satellitenbilder zeigen neue Stellungen nahe der Grenze."),
    ]

    @Test func alertsThatAreNotDurableLeaveNothingRecorded() throws {
        try withStore { store, _ in
            let plans = try store.plan(
                batch: [DedupStore.Document(feed: feed("a"), entries: Self.entries, topics: [["t"], ["t"]])], now: testNow)
            #expect(plans[0].alerts.count == 2)
            var asked = 0
            let recorded = try store.commit(plans, when: {
                asked += 1
                return false
            })
            #expect(!recorded && asked == 1)
            let empty = try store.statistics()
            #expect(empty.seenItems == 0 && empty.stories == 0 && empty.alerts == 0)
            // The index holds none of the abandoned stories: planning again decides the same.
            let again = try store.plan(
                batch: [DedupStore.Document(feed: feed("a"), entries: Self.entries, topics: [["t"], ["t"]])], now: testNow)
            #expect(again.map(\.alerts) == plans.map(\.alerts))

            #expect(try store.commit(again, when: { true }))
            let full = try store.statistics()
            #expect(full.seenItems == 2 && full.stories == 2 && full.alerts == 2)
        }
    }
}
