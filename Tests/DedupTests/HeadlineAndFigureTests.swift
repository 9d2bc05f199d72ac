import Dedup
import Foundation
import NewsModel
import Testing

/// The two paths for copies whose teasers cannot be compared: a headline alone, and a rare headline figure.
@Suite struct HeadlineAndFigureTests {
    let cable = entry(
        id: "z-1", link: "https://zeit.example/kabel",
        title: "Unterseekabel vor Norwegen beschädigt – Polizei ermittelt wegen Sabotage",
        summary: "Oslo (dpa) - Eines von zwei Unterseekabeln zwischen dem norwegischen Festland und der Inselgruppe "
            + "Spitzbergen ist beschädigt worden. Die Polizei in Tromsø prüft, ob Sabotage vorliegt.")

    /// Founds a story with `first`, then plans `second` from another outlet; whether it joined.
    func joins(_ first: FeedEntry, _ second: FeedEntry) throws -> Bool {
        try withStore { store, _ in
            let a = try store.ingest(feed("outlet-a"), [first])
            let b = try store.ingest(feed("outlet-b"), [second])
            return a.items[0].storyKey == b.items[0].storyKey
        }
    }

    @Test func aHeadlineOnlyItemJoinsTheReportThatCarriesEveryWordOfIt() throws {
        let headline = entry(
            id: "d-1", link: "https://dlf.example/1", title: "Norwegen: Unterseekabel nach Spitzbergen beschädigt")
        #expect(try joins(cable, headline))
        // A breaking-news marker and a boilerplate teaser change nothing.
        let breaking = entry(
            id: "n-1", link: "https://ntv.example/1", title: "EILMELDUNG: Unterseekabel vor Spitzbergen beschädigt",
            summary: "Weitere Informationen folgen.")
        #expect(try joins(cable, breaking))
    }

    @Test func aHeadlineWithAWordTheReportLacksFoundsItsOwnStory() throws {
        // Another place: a second cable cut elsewhere.
        let sweden = entry(id: "d-2", link: "https://dlf.example/2", title: "Schweden: Unterseekabel nach Gotland beschädigt")
        #expect(try !joins(cable, sweden))
        // One new word is a new development.
        let second = entry(
            id: "d-3", link: "https://dlf.example/3", title: "Norwegen: Zweites Unterseekabel nach Spitzbergen beschädigt")
        #expect(try !joins(cable, second))
        // Two words say too little.
        let short = entry(id: "d-4", link: "https://dlf.example/4", title: "Unterseekabel beschädigt")
        #expect(try !joins(cable, short))
    }

    @Test func aHeadlineAloneNeverJoinsAReportHalfADayOlder() throws {
        let later = entry(
            id: "d-5", link: "https://dlf.example/5", title: "Norwegen: Unterseekabel nach Spitzbergen beschädigt",
            published: testNow.addingTimeInterval(hours(12)))
        #expect(try !joins(cable, later))
    }

    let arrests = entry(
        id: "z-2", link: "https://zeit.example/festnahmen", title: "Fast 8000 Festnahmen nach Unruhen in Kasachstan – 7939 Menschen",
        summary: "Nach den blutigen Unruhen in Kasachstan sind nach Behördenangaben 7939 Menschen festgenommen worden. "
            + "Präsident Tokajew kündigte eine Untersuchung an.")

    @Test func aRareHeadlineFigureWithSharedWordsJoinsAnEditedCopy() throws {
        let copy = entry(
            id: "t-1", link: "https://tagesschau.example/festnahmen", title: "Kasachstan meldet 7939 Festnahmen",
            summary: "Die Polizei hat nach den Unruhen in Kasachstan laut Innenministerium 7939 Menschen festgenommen. "
                + "Staatschef Tokajew spricht von einem Umsturzversuch, eine Untersuchung sei angeordnet.")
        #expect(try joins(arrests, copy))
    }

    @Test func aTwoDigitFigureOrAYearProvesNothing() throws {
        let party = entry(
            id: "b-1", link: "https://bbc.example/1", title: "Minister says PM understands anger over No 10 party claims",
            summary: "Health minister Edward Argar says Boris Johnson understands the anger but asks critics to wait "
                + "for Sue Gray's inquiry into lockdown gatherings in Downing Street.")
        let inquiry = entry(
            id: "i-1", link: "https://independent.example/1", title: "Sue Gray inquiry to examine 2020 garden party, No 10 confirms",
            summary: "Downing Street confirmed that Sue Gray's inquiry into lockdown gatherings will look at the drinks "
                + "in the garden, while Boris Johnson faces anger from critics.")
        #expect(try !joins(party, inquiry))
    }
}
