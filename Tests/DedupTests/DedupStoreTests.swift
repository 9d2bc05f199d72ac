import Dedup
import Foundation
import NewsModel
import Testing

struct DedupStoreTests {
    @Test func sameStoryInThreeFeedsRaisesOneAlertPerTopic() throws {
        try withStore { store, _ in
            let topics = [["nato-russia-council", "troop-buildup"]]
            let a = try store.ingest(
                feed("tagesschau"),
                [entry(id: "ts-1", link: "https://www.example.de/nato-rat.html?utm_source=rss", title: "Nato-Russland-Rat tagt")],
                topics: topics)
            let b = try store.ingest(
                feed("dlf"),
                [entry(id: "dlf-77", link: "http://example.de/nato-rat.html#kommentare", title: "Nato-Russland-Rat in Brüssel")],
                topics: topics, now: testNow.addingTimeInterval(600))
            let c = try store.ingest(
                feed("zeit"),
                [entry(id: "z-9", link: "https://EXAMPLE.de/nato-rat.html?wt_mc=rss", title: "Treffen des Nato-Russland-Rats")],
                topics: topics, now: testNow.addingTimeInterval(1200))

            #expect(a.alerts.map(\.topic) == ["nato-russia-council", "troop-buildup"])
            #expect(b.alerts.isEmpty && c.alerts.isEmpty)
            #expect(b.items[0].storyKey == a.items[0].storyKey && c.items[0].storyKey == a.items[0].storyKey)
            #expect(Set(b.copies.map(\.alertID)) == Set(a.alerts.map(\.id)))
            for alert in a.alerts {
                let stored = try #require(try store.alert(id: alert.id))
                #expect(stored.feedID == "tagesschau")
                #expect(stored.topic == alert.topic)
                #expect(stored.alsoIn == ["dlf", "zeit"])
            }
            // Polling a feed again adds nothing.
            let again = try store.ingest(
                feed("dlf"),
                [entry(id: "dlf-77", link: "http://example.de/nato-rat.html#kommentare", title: "Nato-Russland-Rat in Brüssel")],
                topics: topics, now: testNow.addingTimeInterval(1800))
            #expect(again.items[0].disposition == .seen)
            #expect(again.alerts.isEmpty && again.copies.isEmpty)
            #expect(try store.alert(id: a.alerts[0].id)?.alsoIn == ["dlf", "zeit"])
            #expect(try store.statistics().alerts == 2)
        }
    }

    @Test func changedTitleIsAnUpdateNotANewAlert() throws {
        try withStore { store, _ in
            let f = feed("spiegel")
            let first = try store.ingest(f, [entry(id: "sp-1", title: "Russland verlegt Truppen")], topics: [["troop-buildup"]])
            #expect(first.alerts.count == 1)
            let edited = try store.ingest(
                f, [entry(id: "sp-1", title: "Russland verlegt Zehntausende Soldaten an die Grenze")],
                topics: [["troop-buildup"]], now: testNow.addingTimeInterval(3600))
            #expect(edited.items[0].disposition == .updated)
            #expect(edited.items[0].storyKey == first.items[0].storyKey)
            #expect(edited.alerts.isEmpty)
            // An update that now matches a further topic alerts for that topic only.
            let more = try store.ingest(
                f, [entry(id: "sp-1", title: "Nato-Russland-Rat berät über Truppenaufmarsch")],
                topics: [["troop-buildup", "nato-russia-council"]], now: testNow.addingTimeInterval(7200))
            #expect(more.items[0].disposition == .updated)
            #expect(more.alerts.map(\.topic) == ["nato-russia-council"])
            let same = try store.ingest(
                f, [entry(id: "sp-1", title: "Nato-Russland-Rat berät über Truppenaufmarsch")],
                topics: [["troop-buildup", "nato-russia-council"]], now: testNow.addingTimeInterval(9000))
            #expect(same.items[0].disposition == .seen)
            #expect(same.alerts.isEmpty)
        }
    }

    @Test func rotatedGUIDsForKnownLinksDoNotFlood() throws {
        try withStore { store, _ in
            let f = feed("blog", backfill: .window(.zero))
            let links = (1...20).map { "https://blog.example/2022/01/post-\($0)/" }
            let first = try store.ingest(f, links.enumerated().map { i, link in
                entry(id: "https://blog.example/?p=\(i)", link: link, title: "Beitrag \(i) über Truppen an der Grenze")
            })
            #expect(first.items.allSatisfy { $0.disposition == .backfilled })
            #expect(first.alerts.isEmpty)
            // The CMS rewrites every guid; links stay (one now with a tracking parameter).
            let rotated = try store.ingest(f, links.enumerated().map { i, link in
                entry(id: "tag:blog.example,2022:\(i)", link: link + (i == 0 ? "?utm_source=feed" : ""),
                      title: "Beitrag \(i) über Truppen an der Grenze")
            }, now: testNow.addingTimeInterval(600))
            #expect(rotated.items.allSatisfy { $0.disposition == .seen })
            #expect(rotated.alerts.isEmpty && rotated.copies.isEmpty)
            #expect(Set(rotated.items.map(\.storyKey)) == Set(first.items.map(\.storyKey)))
            // The new ids are remembered too.
            let again = try store.ingest(f, [entry(id: "tag:blog.example,2022:3", title: "anything")],
                                         now: testNow.addingTimeInterval(1200))
            #expect(again.items[0].disposition == .updated)
            #expect(again.items[0].storyKey == first.items[3].storyKey)
        }
    }

    @Test func trackingParametersDoNotMakeNewItems() throws {
        try withStore { store, _ in
            let f = feed("noguid")
            let first = try store.ingest(
                f, [entry(link: "https://news.example/a/1?utm_source=rss&utm_medium=feed", title: "Manöver in Belarus")])
            let second = try store.ingest(
                f, [entry(link: "https://news.example/a/1?fbclid=IwAR2xyz#top", title: "Manöver in Belarus")],
                now: testNow.addingTimeInterval(600))
            #expect(first.items[0].identity.key == "url:https://news.example/a/1")
            #expect(second.items[0].identity.key == first.items[0].identity.key)
            #expect(second.items[0].disposition == .seen)
            #expect(second.alerts.isEmpty)
        }
    }

    @Test func recurringHeadlinesOnDifferentDaysAreDifferentStories() throws {
        try withStore { store, _ in
            let column = "Die wichtigsten Entwicklungen zum Konflikt um die Ukraine im Überblick."
            let wednesday = testNow
            let nextWednesday = testNow.addingTimeInterval(hours(24 * 7))
            let first = try store.ingest(
                feed("radio"), [entry(id: "lage-1", title: "Die Lage am Mittwoch", summary: column, published: wednesday)],
                now: wednesday)
            let sameDay = try store.ingest(
                feed("tv"), [entry(id: "tv-lage", title: "Die Lage am Mittwoch", summary: column,
                                   published: wednesday.addingTimeInterval(hours(2)))],
                now: wednesday.addingTimeInterval(hours(2)))
            let later = try store.ingest(
                feed("radio"), [entry(id: "lage-2", title: "Die Lage am Mittwoch", summary: column, published: nextWednesday)],
                now: nextWednesday)
            #expect(sameDay.items[0].storyKey == first.items[0].storyKey, "identical text within the window")
            #expect(sameDay.alerts.isEmpty)
            #expect(later.items[0].storyKey != first.items[0].storyKey, "a week later: outside the window")
            #expect(later.alerts.count == 1)
        }
    }

    @Test func liveTickersWithTheSameTitleAreTwoStories() throws {
        try withStore { store, _ in
            let a = try store.ingest(feed("outlet-a"), [entry(
                id: "live-1", title: "Russia-Ukraine crisis: live updates",
                summary: "Follow our live coverage as foreign ministers meet in Geneva for talks on European security.")])
            let b = try store.ingest(feed("outlet-b"), [entry(
                id: "live-7", title: "Russia-Ukraine crisis: live updates",
                summary: "Follow our live coverage as Russia announces new military drills in Belarus and the Baltic.")])
            #expect(a.items[0].storyKey != b.items[0].storyKey)
            #expect(a.alerts.count == 1 && b.alerts.count == 1)
        }
    }

    @Test func planningTwiceWithoutCommitGivesTheSameAlerts() throws {
        try withStore { store, _ in
            let f = feed("wire")
            let entries = [
                entry(id: "w-1", link: "https://wire.example/1", title: "Nato-Russland-Rat tagt"),
                entry(id: "w-2", title: "Truppenaufmarsch an der Grenze", summary: "Satellitenbilder zeigen Panzer."),
            ]
            let topics = [["nato-russia-council"], ["troop-buildup", "nato-russia-council"]]
            let first = try store.plan(feed: f, entries: entries, topics: topics, now: testNow)
            let second = try store.plan(feed: f, entries: entries, topics: topics, now: testNow.addingTimeInterval(5))
            #expect(first.alerts == second.alerts)
            #expect(first.items.map(\.storyKey) == second.items.map(\.storyKey))
            #expect(first.alerts.count == 3)
            #expect(try store.statistics().seenItems == 0, "planning writes nothing")
            // Reopening (a crash between spool write and commit) plans the same ids again.
            try store.commit(second)
            let afterCommit = try store.plan(feed: f, entries: entries, topics: topics, now: testNow.addingTimeInterval(10))
            #expect(afterCommit.alerts.isEmpty)
            #expect(afterCommit.items.allSatisfy { $0.disposition == .seen })
            // Committing the same plan twice records nothing twice.
            try store.commit(second)
            #expect(try store.statistics().alerts == 3)
            #expect(try store.statistics().seenItems == 2)
        }
    }

    @Test func twoFeedsPlanningTheSameStoryAtOnceRecordOneAlert() throws {
        try withStore { store, _ in
            let a = try store.plan(
                feed: feed("feed-a"), entries: [entry(id: "a1", link: "https://www.example.de/artikel?utm_source=a", title: "Rat tagt")],
                topics: [["nato-russia-council"]], now: testNow)
            let b = try store.plan(
                feed: feed("feed-b"), entries: [entry(id: "b1", link: "http://example.de/artikel", title: "Der Rat tagt")],
                topics: [["nato-russia-council"]], now: testNow.addingTimeInterval(1))
            // Both planned before either committed: the same story key, so the same alert id.
            #expect(a.alerts.map(\.id) == b.alerts.map(\.id))
            try store.commit(a)
            try store.commit(b)
            #expect(try store.statistics().alerts == 1)
            #expect(try store.alert(id: a.alerts[0].id)?.feedID == "feed-a")
            #expect(try store.alert(id: a.alerts[0].id)?.alsoIn == ["feed-b"])
        }
    }

    @Test func alertIDIsTheDigestOfStoryAndTopic() throws {
        try withStore { store, _ in
            let plan = try store.plan(
                feed: feed("f"), entries: [entry(id: "x", title: "Nato-Russland-Rat")], topics: [["t"]], now: testNow)
            #expect(plan.alerts[0].id == SHA256.hexDigest(plan.items[0].storyKey + "\nt"))
        }
    }

    @Test func repeatedItemWithinOneDocumentAlertsOnce() throws {
        try withStore { store, _ in
            let plan = try store.ingest(feed("dup"), [
                entry(id: "same", title: "Truppen an der Grenze"), entry(id: "same", title: "Truppen an der Grenze"),
            ])
            #expect(plan.alerts.count == 1)
            #expect(plan.items.map(\.disposition) == [.new, .seen])
        }
    }

    @Test func mismatchedTopicListsAreRejected() throws {
        try withStore { store, _ in
            #expect {
                try store.plan(feed: feed("f"), entries: [entry(title: "a"), entry(title: "b")], topics: [["t"]], now: testNow)
            } throws: { ($0 as? DedupError)?.code == .invalidArgument }
        }
    }
}
