@testable import Dedup
import Foundation
import NewsModel
import Testing

struct BackfillAndPruneTests {
    private let firstPollEntries = [
        entry(id: "fresh", title: "Nato-Russland-Rat tagt heute", published: testNow.addingTimeInterval(-hours(1))),
        entry(id: "old", title: "Manöver in Belarus angekündigt", published: testNow.addingTimeInterval(-hours(48))),
        entry(id: "undated", title: "Truppen an der Grenze", published: nil),
    ]

    @Test func firstPollAlertsOnlyInsideTheBackfillWindow() throws {
        try withStore { store, _ in
            let plan = try store.ingest(feed("new-feed", backfill: .window(.seconds(86_400))), firstPollEntries)
            #expect(plan.isFirstPoll)
            #expect(plan.items.map(\.disposition) == [.new, .backfilled, .backfilled])
            #expect(plan.alerts.map(\.entryIndex) == [0])
            // The next poll is not a first poll: an unseen older item now alerts.
            let next = try store.ingest(
                feed("new-feed", backfill: .window(.seconds(86_400))),
                firstPollEntries + [entry(id: "late", title: "Ältere Meldung, spät im Feed", published: testNow.addingTimeInterval(-hours(60)))],
                now: testNow.addingTimeInterval(600))
            #expect(!next.isFirstPoll)
            #expect(next.items.map(\.disposition) == [.seen, .seen, .seen, .new])
            #expect(next.alerts.map(\.entryIndex) == [3])
        }
    }

    @Test func backfillAllAlertsOnEveryItem() throws {
        try withStore { store, _ in
            let plan = try store.ingest(feed("all", backfill: .all), firstPollEntries)
            #expect(plan.items.map(\.disposition) == [.new, .new, .new])
            #expect(plan.alerts.count == 3)
        }
    }

    @Test func backfillZeroMarksEverythingSeenSilently() throws {
        try withStore { store, _ in
            let future = entry(id: "future", title: "Falsch datiert", published: testNow.addingTimeInterval(hours(5)))
            let plan = try store.ingest(feed("none", backfill: .window(.zero)), firstPollEntries + [future])
            #expect(plan.items.allSatisfy { $0.disposition == .backfilled })
            #expect(plan.alerts.isEmpty)
            #expect(try store.statistics().seenItems == 4)
        }
    }

    @Test func firstPollWithNoEntriesStillEndsTheBackfill() throws {
        try withStore { store, _ in
            let f = feed("empty-at-first", backfill: .window(.zero))
            #expect(try store.ingest(f, []).isFirstPoll)
            let next = try store.ingest(f, firstPollEntries, now: testNow.addingTimeInterval(600))
            #expect(!next.isFirstPoll)
            #expect(next.alerts.count == 3)
        }
    }

    @Test func itemsOlderThanRetentionNeverAlert() throws {
        try withStore { store, _ in
            let f = feed("archive")
            try store.ingest(f, [])
            let plan = try store.ingest(
                f, [entry(id: "ancient", title: "Archivbeitrag", published: testNow.addingTimeInterval(-hours(24 * 100)))],
                now: testNow.addingTimeInterval(60))
            #expect(plan.items[0].disposition == .stale)
            #expect(plan.alerts.isEmpty)
        }
    }

    @Test func pruningIsByAgeOnlyNeverByAbsenceFromTheFeed() throws {
        let day: TimeInterval = 86_400
        try withStore { store, _ in
            let f = feed("daily")
            let gone = entry(id: "gone", title: "Beitrag verschwindet aus dem Feed", published: testNow)
            let stays = entry(id: "stays", title: "Beitrag bleibt im Feed", published: testNow)
            let first = try store.ingest(f, [gone, stays])
            #expect(first.alerts.count == 2)

            // Day 30: "gone" has left the feed; pruning keeps it, and it comes back as seen.
            try store.ingest(f, [stays], now: testNow.addingTimeInterval(30 * day))
            #expect(try store.prune(now: testNow.addingTimeInterval(30 * day)).seenItems == 0)
            let back = try store.ingest(f, [gone, stays], now: testNow.addingTimeInterval(31 * day))
            #expect(back.items.map(\.disposition) == [.seen, .seen])
            #expect(back.alerts.isEmpty)

            // "stays" is refreshed while present; "gone" leaves again and ages out 90 days later.
            for d in stride(from: 40.0, through: 130.0, by: 10.0) {
                try store.ingest(f, [stays], now: testNow.addingTimeInterval(d * day))
            }
            let pruned = try store.prune(now: testNow.addingTimeInterval(130 * day))
            #expect(pruned.seenItems == 1)
            #expect(pruned.alerts == 1)
            let after = try store.plan(
                feed: f, entries: [stays], topics: [["topic-a"]], now: testNow.addingTimeInterval(131 * day))
            #expect(after.items[0].disposition == .seen, "an item still in its feed is never pruned")
            #expect(try store.statistics().seenItems == 1)
            #expect(try store.statistics().alerts == 1)
        }
    }
}

struct NearDuplicateIndexPruneTests {
    @Test func pruneDropsFingerprintsOlderThanTwiceTheWindow() throws {
        try withStore { store, _ in
            try store.ingest(feed("a"), [entry(id: "1", title: "Nato-Russland-Rat tagt in Brüssel", summary: "Vertreter beraten über Truppen")])
            func fingerprints() throws -> Int64 {
                try store.withConnection { db throws(DedupError) in
                    try db.scalarInt("SELECT count(*) FROM stories WHERE fingerprint IS NOT NULL") ?? -1
                }
            }
            #expect(try fingerprints() == 1)
            try store.prune(now: testNow.addingTimeInterval(hours(24 * 5)))
            #expect(try fingerprints() == 1, "within twice the window")
            try store.prune(now: testNow.addingTimeInterval(hours(24 * 7)))
            #expect(try fingerprints() == 0)
            #expect(try store.statistics().stories == 1, "the story itself stays until retention")
        }
    }
}
