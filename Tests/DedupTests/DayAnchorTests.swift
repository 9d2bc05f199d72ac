@testable import Dedup
import Foundation
import NewsModel
import Testing
import TextNormalization

/// Reports that name their day ("heute", "am Morgen", "this morning") are about that day: the same template on
/// another morning is another report (found by the fourth blind story set, `fixtures/stories-fresh`: an outlet's
/// black-ice report two days later, folded by its template sentence).
struct DayAnchorTests {
    private func fingerprint(_ title: String, _ summary: String) -> StoryFingerprint {
        StoryFingerprint(titleWords: TextNormalizer.words(in: title), summary: summary)
    }

    private func evidence(_ a: StoryFingerprint, _ b: StoryFingerprint, hoursApart: Double) -> StoryEvidence {
        StoryEvidence.compare(
            a, informativeBody: Array(a.body), informativeLead: Array(a.lead), informativeWords: Array(a.words), with: b,
            hoursApart: hoursApart, isCommon: { _ in false }, isCommonWord: { _ in false }, isRecurringTitle: false)
    }

    @Test(arguments: [
        ("Nebel sorgt für Staus", "Dichter Nebel hat am Morgen den Verkehr im Norden behindert."),
        ("Heute tagt der Bundesrat", "Die Länderkammer berät über das neue Gesetz."),
        ("Gewitter über Hamburg", "In der Nacht zogen heftige Gewitter über die Stadt."),
        ("Strike halts trains", "Rail workers walked out this morning across the region."),
        ("Flood warnings issued", "Heavy rain fell overnight in the west of the country."),
        ("Council votes on budget", "Members met yesterday to settle the figures."),
    ])
    func namesItsDay(title: String, summary: String) {
        #expect(fingerprint(title, summary).namesItsDay)
    }

    @Test(arguments: [
        ("Nebel sorgt für Staus", "Dichter Nebel hat den Verkehr im Norden behindert."),
        ("Morgen tagt der Bundesrat", "Die Länderkammer berät über das neue Gesetz."),
        ("Strike halts trains", "Rail workers walked out across the region on Tuesday."),
        ("Guten Morgen, Europa", "Was Sie über die Gipfel der Woche wissen müssen."),
    ])
    func doesNotNameItsDay(title: String, summary: String) {
        #expect(!fingerprint(title, summary).namesItsDay)
    }

    /// One template, two mornings: a conflict from 18 hours apart, not within the morning.
    @Test func theSameTemplateOnAnotherMorningIsAnotherReport() {
        let monday = fingerprint(
            "Nebel in Niedersachsen: Zahlreiche Auffahrunfälle",
            "Dichter Nebel hat am Morgen in weiten Teilen Niedersachsens zu zahlreichen Auffahrunfällen geführt. "
                + "Besonders betroffen war die A1 zwischen Bremen und Osnabrück. Verletzt wurde niemand.")
        let wednesday = fingerprint(
            "Nebel in Niedersachsen: Viele Auffahrunfälle auf der A7",
            "Dichter Nebel hat am Morgen in weiten Teilen Niedersachsens zu zahlreichen Auffahrunfällen geführt. "
                + "Besonders betroffen war die A7 bei Hannover. Zwei Menschen wurden leicht verletzt.")
        for (a, b) in [(monday, wednesday), (wednesday, monday)] {
            #expect(evidence(a, b, hoursApart: 48).hasConflict)
            #expect(!evidence(a, b, hoursApart: 48).isSameReport)
            #expect(!evidence(a, b, hoursApart: 17).hasConflict, "a copy in the evening of a morning's report")
        }
    }

    /// A copy a day later that does not name its day keeps folding (the conflict needs both).
    @Test func aLateCopyWithoutItsDayStillFolds() {
        let report = fingerprint(
            "Rail strike halts trains across the north",
            "Rail workers walked out this morning in a dispute over pay, halting most services across the north. "
                + "The union said further strikes would follow next week.")
        let copy = fingerprint(
            "Rail strike halts trains across the north",
            "Rail workers walked out in a dispute over pay, halting most services across the north. "
                + "The union said further strikes would follow next week.")
        #expect(report.namesItsDay && !copy.namesItsDay)
        let result = evidence(copy, report, hoursApart: 26)
        #expect(!result.hasConflict)
        #expect(result.isSameReport, "\(result.description)")
    }

    @Test func theFlagSurvivesTheBlobAndOldBlobsHaveNone() throws {
        let original = fingerprint("Glatteis: Unfälle am Morgen", "Auf vielen Straßen kam es heute zu Unfällen.")
        #expect(original.namesItsDay)
        var blob = original.blob
        let decoded = try #require(blob.withUnsafeBytes { StoryFingerprint(encoded: $0) })
        #expect(decoded == original)
        blob[2] &= ~4  // as written before the flag existed
        let old = try #require(blob.withUnsafeBytes { StoryFingerprint(encoded: $0) })
        #expect(!old.namesItsDay)
    }

    /// Through the store: the second morning's report in another outlet raises its own alert; a copy of the first
    /// morning's report an hour later does not.
    @Test func storeAlertsOnEachMorning() throws {
        let template = "Dichter Nebel hat am Morgen in weiten Teilen Niedersachsens zu zahlreichen Auffahrunfällen geführt."
        try withStore { store, _ in
            /// One outlet's report of the template with its own title and last sentences, `hoursAgo` before now.
            func report(_ outlet: String, _ path: String, _ title: String, _ rest: String, hoursAgo: Double) throws -> DedupPlan {
                let item = entry(
                    id: path, link: "https://\(outlet).example/\(path)", title: title, summary: template + " " + rest,
                    published: testNow.addingTimeInterval(-hours(hoursAgo)))
                return try store.ingest(feed(outlet), [item])
            }
            let first = try report(
                "outlet-a", "nebel-1", "Nebel in Niedersachsen: Zahlreiche Auffahrunfälle",
                "Besonders betroffen war die A1 zwischen Bremen und Osnabrück. Verletzt wurde niemand.", hoursAgo: 49)
            let copy = try report(
                "outlet-b", "nebel", "Nebel: Zahlreiche Auffahrunfälle in Niedersachsen",
                "Besonders betroffen war die A1 zwischen Bremen und Osnabrück.", hoursAgo: 48)
            let later = try report(
                "outlet-b", "nebel-2", "Nebel in Niedersachsen: Viele Auffahrunfälle auf der A7",
                "Besonders betroffen war die A7 bei Hannover. Zwei Menschen wurden leicht verletzt.", hoursAgo: 1)
            #expect(first.alerts.count == 1)
            #expect(copy.items[0].storyKey == first.items[0].storyKey)
            #expect(copy.alerts.isEmpty)
            #expect(later.items[0].storyKey != first.items[0].storyKey)
            #expect(later.alerts.count == 1)
        }
    }
}
