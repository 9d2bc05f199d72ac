import Foundation
import NewsModel
import Testing

@testable import Dedup

/// Whether a phrase is common (identifies nothing) is decided by every story of the window, whether a topic matched
/// it or not: an outlet's boilerplate and an agency's background passage are common because the outlet's and the
/// agency's other items carry them, most of which no topic matches. Two different reports a topic matches that
/// share only such text are two stories, and raise two alerts.
struct CommonPhrasesTests {
    @Test func anOutletsBoilerplateTeaserCarriedByItsUnmatchedItemsFoldsNoMatchedReports() throws {
        let teaser = "Lesen Sie hier alle aktuellen Entwicklungen zum Thema in unserem Liveblog nach."
        try withStore { store, _ in
            // The outlet's other items of the day, each its own report, under the same teaser.
            let titles = [
                "Sturmtief bringt Regen und Wind in den Norden", "Bahn streicht Verbindungen zwischen Köln und Hamburg",
                "Stadtrat beschließt neuen Haushalt für Schulen", "Fußball: Bremen gewinnt knapp gegen Freiburg",
                "Polizei sucht Zeugen nach Unfall auf der A1", "Museum zeigt Gemälde aus privater Sammlung",
                "Hafen meldet Rekord beim Umschlag von Containern", "Landtag debattiert über Lehrermangel",
            ]
            let others = titles.enumerated().map { n, title in
                entry(
                    id: "o-\(n)", link: "https://a.example/o-\(n)", title: title, summary: teaser,
                    published: testNow.addingTimeInterval(-hours(3) + Double(n) * 60))
            }
            try store.ingest(feed("a"), others, topics: others.map { _ in [] })
            let council = entry(id: "n-1", link: "https://a.example/n-1", title: "Nato-Russland-Rat tagt in Brüssel", summary: teaser)
            let troops = entry(
                id: "n-2", link: "https://a.example/n-2", title: "Russland verlegt weitere Truppen an die Grenze zur Ukraine",
                summary: teaser, published: testNow.addingTimeInterval(-hours(0.5)))
            let first = try store.ingest(feed("a"), [council], topics: [["t"]], now: testNow.addingTimeInterval(60))
            let second = try store.ingest(feed("a"), [troops], topics: [["t"]], now: testNow.addingTimeInterval(120))
            #expect(second.items[0].join == .founded, "\(second.items[0].join.description)")
            #expect(first.alerts.count == 1 && second.alerts.count == 1)
        }
    }

    @Test func anAgencyBackgroundPassageCarriedByUnmatchedStoriesFoldsNoMatchedDevelopments() throws {
        let background = "Das Gremium war 2002 gegründet worden, um die Zusammenarbeit zwischen dem Bündnis und Moskau zu "
            + "verbessern. Nach der Annexion der Krim 2014 hatte die Allianz die praktische Zusammenarbeit ausgesetzt. "
            + "Seit 2019 war der Rat nicht mehr zusammengekommen."
        try withStore { store, _ in
            // Three other reports of the agency carry the passage: none of them is about the council's meeting.
            let leads = [
                ("Botschafter beraten über Rüstungskontrolle",
                 "Wien (dpa) - Vertreter der OSZE-Staaten haben in Wien über neue Regeln für Manöver beraten."),
                ("Diplomaten erwarten schwierige Gespräche",
                 "Genf (dpa) - Vor den Gesprächen in Genf dämpfen amerikanische Diplomaten die Erwartungen."),
                ("Moskau schickt Vizeaußenminister nach Europa",
                 "Moskau (dpa) - Der russische Vizeaußenminister reist in der kommenden Woche zu Gesprächen nach Paris."),
            ]
            let others = leads.enumerated().map { n, lead in
                entry(
                    id: "o-\(n)", link: "https://wire.example/o-\(n)", title: lead.0, summary: lead.1 + " " + background,
                    published: testNow.addingTimeInterval(-hours(6) + Double(n) * 600))
            }
            try store.ingest(feed("wire"), others, topics: others.map { _ in [] })
            let begun = entry(
                id: "b-1", link: "https://z.example/b-1", title: "Nato-Russland-Rat in Brüssel hat begonnen",
                summary: "Brüssel (dpa) - In der Nato-Zentrale hat am Mittwochmorgen das erste Treffen des Nato-Russland-Rats "
                    + "seit zweieinhalb Jahren begonnen. " + background,
                published: testNow.addingTimeInterval(-hours(4)))
            let ended = entry(
                id: "e-1", link: "https://z.example/e-1", title: "Nato-Russland-Rat endet ohne Annäherung",
                summary: "Brüssel (dpa) - Das Treffen des Nato-Russland-Rats ist nach vier Stunden ohne Annäherung zu Ende "
                    + "gegangen. " + background,
                published: testNow.addingTimeInterval(-hours(0.5)))
            let first = try store.ingest(feed("z"), [begun], topics: [["t"]])
            let second = try store.ingest(feed("z"), [ended], topics: [["t"]], now: testNow.addingTimeInterval(60))
            #expect(second.items[0].join == .founded, "\(second.items[0].join.description)")
            #expect(first.alerts.count == 1 && second.alerts.count == 1)
        }
    }

    /// One document carries the teaser on three reports: it is the outlet's boilerplate, and the two a topic matches
    /// are two stories, even before any other story makes its phrases common.
    @Test func aTeaserOneDocumentCarriesUnderThreeTitlesFoldsNone() throws {
        let teaser = "Lesen Sie hier alle aktuellen Entwicklungen zum Thema in unserem Liveblog nach."
        let items = [
            ("Nato-Russland-Rat tagt in Brüssel", 3.0), ("Bahn streicht Verbindungen zwischen Köln und Hamburg", 2.0),
            ("Russland verlegt weitere Truppen an die Grenze zur Ukraine", 1.0),
        ].enumerated().map { n, item in
            entry(
                id: "n-\(n)", link: "https://a.example/n-\(n)", title: item.0, summary: teaser,
                published: testNow.addingTimeInterval(-hours(item.1)))
        }
        try withStore { store, _ in
            let plan = try store.ingest(feed("a"), items, topics: [["t"], [], ["t"]])
            #expect(plan.items.map(\.join) == [.founded, .founded, .founded], "\(plan.items.map(\.join.description))")
            #expect(plan.alerts.count == 2)
        }
    }

    /// A report's teaser under a new title in the same feed (the breaking-news item, then its headline) is the same
    /// report: twice is not boilerplate.
    @Test func aReportsTeaserUnderItsNewTitleInTheSameFeedStillFolds() throws {
        let teaser = "Auf der A9 bei Hermsdorf ist am frühen Montagmorgen ein Reisebus verunglückt. Nach ersten Angaben der "
            + "Polizei wurden 14 Menschen verletzt, zwei davon schwer."
        let breaking = entry(
            id: "b-1", link: "https://a.example/b-1", title: "Eilmeldung", summary: teaser,
            published: testNow.addingTimeInterval(-hours(2)))
        let headline = entry(
            id: "b-2", link: "https://a.example/b-2", title: "Reisebus auf der A9 umgekippt: 14 Verletzte", summary: teaser,
            published: testNow.addingTimeInterval(-hours(1.5)))
        try withStore { store, _ in
            let plan = try store.ingest(feed("a"), [breaking, headline], topics: [["t"], ["t"]])
            guard case .sameText = plan.items[1].join else {
                Issue.record("the headline should join the breaking-news item's story: \(plan.items[1].join.description)")
                return
            }
            #expect(plan.alerts.count == 1)
        }
    }
}

/// ``BoilerplateTeasers``: which teasers of a document are boilerplate.
struct BoilerplateTeasersTests {
    @Test func aTeaserUnderThreeDifferentTitlesIsBoilerplate() {
        let same = "Read the full story on our website."
        let entries = [
            entry(title: "Storm hits the coast", summary: same), entry(title: "Storm hits the coast", summary: same),
            entry(title: "Council approves budget", summary: same), entry(title: "Train derails near Leeds", summary: "A train left the tracks."),
            entry(title: "No teaser"), entry(title: "Also no teaser"), entry(title: "Nor this one"),
        ]
        // Two titles under the teaser so far (the same title twice counts once), and empty teasers never count.
        #expect(BoilerplateTeasers.flags(entries) == [false, false, false, false, false, false, false])
        let more = entries + [entry(title: "Museum reopens", summary: same)]
        #expect(BoilerplateTeasers.flags(more) == [true, true, true, false, false, false, false, true])
    }
}

