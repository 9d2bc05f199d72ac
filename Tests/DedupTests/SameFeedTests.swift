import Foundation
import NewsModel
import Testing
import TextNormalization

@testable import Dedup

/// An outlet reuses its own text: the template of a kind of report, the background of an event it follows. Its own
/// update of a report keeps the report's lead. With few stories in the window nothing of that text is common yet,
/// so within one feed the words path needs half of one lead in the other teaser.
struct SameFeedTests {
    /// Two verdicts written on one template by one outlet, a day apart, in a store that holds little else.
    @Test func twoReportsOnTheOutletsTemplateAreTwoStories() throws {
        let first = entry(
            id: "v-1", link: "https://t.example/v-1", title: "Kassel: Lebenslange Haft für Mord an Nachbarin",
            summary: "Das Landgericht Kassel hat einen 52-Jährigen wegen Mordes an seiner Nachbarin zu lebenslanger Haft verurteilt. "
                + "Die Kammer sah das Merkmal der Heimtücke als erwiesen an. Der Angeklagte hatte die Tat bis zuletzt "
                + "bestritten. Das Urteil ist noch nicht rechtskräftig.",
            published: testNow.addingTimeInterval(-hours(26)))
        let second = entry(
            id: "v-2", link: "https://t.example/v-2", title: "Erfurt: Lebenslange Haft für Mord an Ehefrau",
            summary: "Das Landgericht Erfurt hat einen 47-Jährigen wegen Mordes an seiner Ehefrau zu lebenslanger Haft verurteilt. "
                + "Die Kammer sah das Merkmal der Heimtücke als erwiesen an. Der Angeklagte hatte die Tat bis "
                + "zuletzt bestritten. Das Urteil ist noch nicht rechtskräftig.",
            published: testNow.addingTimeInterval(-hours(2)))
        try withStore { store, _ in
            try store.ingest(feed("t"), [first], topics: [["t"]], now: testNow.addingTimeInterval(-hours(25)))
            let plan = try store.ingest(feed("t"), [second], topics: [["t"]])
            #expect(plan.items[0].join == .founded, "\(plan.items[0].join.description)")
            #expect(plan.alerts.count == 1)
            // What the words path saw: many shared words, a lead shared a little (the template's formula), not half.
            let evidence = try #require(Self.evidence(first, second, sameFeed: true))
            #expect(evidence.sharedWords >= StoryEvidence.minimumSharedWords && evidence.lead >= 0.2 && evidence.lead < 0.5)
            #expect(!evidence.isSameReport)
        }
    }

    /// The outlet's own update under a new link and title keeps its lead: the same report.
    @Test func theOutletsUpdateOfItsReportUnderANewTitleFolds() throws {
        let report = entry(
            id: "u-1", link: "https://t.example/u-1", title: "Fähre mit 40 Passagieren vor Rügen auf Grund gelaufen",
            summary: "Vor der Küste von Rügen ist am Morgen eine Fähre mit 40 Passagieren auf Grund gelaufen. Verletzt wurde "
                + "nach ersten Angaben niemand. Die Wasserschutzpolizei ist vor Ort.",
            published: testNow.addingTimeInterval(-hours(4)))
        let update = entry(
            id: "u-2", link: "https://t.example/u-2", title: "Havarie vor Rügen: Passagiere von Bord geholt",
            summary: "Vor der Küste von Rügen ist am Morgen eine Fähre mit 40 Passagieren auf Grund gelaufen. Alle Menschen "
                + "an Bord wurden inzwischen mit Booten an Land gebracht. Die Ursache ist noch unklar.",
            published: testNow.addingTimeInterval(-hours(1)))
        try withStore { store, _ in
            try store.ingest(feed("t"), [report], topics: [["t"]], now: testNow.addingTimeInterval(-hours(3)))
            let plan = try store.ingest(feed("t"), [update], topics: [["t"]])
            guard case .sameText = plan.items[0].join else {
                Issue.record("the update should join its report: \(plan.items[0].join.description)")
                return
            }
            #expect(plan.alerts.isEmpty)
        }
    }

    /// The evidence between two entries as a store holding only them would give it (every term informative).
    static func evidence(_ a: FeedEntry, _ b: FeedEntry, sameFeed: Bool) -> StoryEvidence? {
        func print(_ entry: FeedEntry) -> StoryFingerprint {
            StoryFingerprint(titleWords: TextNormalizer.words(in: entry.title ?? ""), summary: entry.summary ?? "")
        }
        let (x, y) = (print(b), print(a))
        return StoryEvidence.compare(
            x, informativeBody: Array(x.body), informativeLead: Array(x.lead), informativeWords: Array(x.words), with: y,
            informative: .init(body: y.body.count, lead: y.leadPhraseCount, words: y.words.count), hoursApart: 24,
            isRecurringTitle: false, isSameFeed: sameFeed)
    }
}
