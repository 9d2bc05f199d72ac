@testable import Dedup
import Foundation
import TextNormalization
import NewsModel
import Testing

/// One text of a near-duplicate pair.
struct Text: Sendable, CustomStringConvertible {
    var title: String
    var summary: String
    var description: String { title }
}

/// A pair of texts and whether they are the same report.
struct Pair: Sendable, CustomTestStringConvertible {
    var name: String
    var a: Text
    var b: Text
    /// true: copies of one report; false: different reports; nil: one event in two outlets' own words
    /// (one alert or two are both right).
    var isSameStory: Bool?
    var testDescription: String { name }
}

/// Hand-written pairs in German and English: copies of one report (positives), different reports that
/// look alike (negatives), and rewrites of one event (no verdict). The labelled story set
/// (fixtures/stories, `eval-stories`) is the real measure; these pin the classes.
let nearDuplicatePairs: [Pair] = [
    Pair(
        name: "de: NATO-Russia Council meeting, two outlets",
        a: Text(
            title: "Nato-Russland-Rat tagt erstmals seit zwei Jahren",
            summary: "In Brüssel kommen Vertreter der Nato und Russlands zusammen. Im Mittelpunkt steht der "
                + "Truppenaufmarsch an der ukrainischen Grenze. Die Erwartungen an das Treffen sind gering."),
        b: Text(
            title: "Erstes Treffen des Nato-Russland-Rats seit 2019",
            summary: "Zum ersten Mal seit zweieinhalb Jahren tagt in Brüssel der Nato-Russland-Rat. Thema ist der "
                + "russische Truppenaufmarsch nahe der Ukraine; Diplomaten erwarten keinen Durchbruch."),
        isSameStory: nil),
    Pair(
        name: "en: satellite images of the buildup, two outlets",
        a: Text(
            title: "Russia moves more troops toward Ukraine border, satellite images show",
            summary: "New satellite images show Russian armoured units and field hospitals near the Ukrainian "
                + "border. Western officials estimate the buildup at 100,000 troops."),
        b: Text(
            title: "Satellite pictures reveal Russian troop buildup near Ukraine",
            summary: "Commercial satellite imagery shows Russian tanks, artillery and field hospitals deployed "
                + "close to the border with Ukraine, where an estimated 100,000 troops have gathered."),
        isSameStory: nil),
    Pair(
        name: "de: chancellor warns Moscow, agency copy rewritten",
        a: Text(
            title: "Scholz warnt Moskau vor Einmarsch in die Ukraine",
            summary: "Bundeskanzler Olaf Scholz hat Russland vor einem militärischen Vorgehen gegen die Ukraine "
                + "gewarnt. Ein Angriff hätte hohe Kosten, sagte Scholz in Berlin."),
        b: Text(
            title: "Kanzler Scholz droht Russland mit hohen Kosten",
            summary: "Olaf Scholz hat Moskau eindringlich vor einem Angriff auf die Ukraine gewarnt. Ein "
                + "militärisches Vorgehen hätte „hohe Kosten“, so der Bundeskanzler in Berlin."),
        isSameStory: nil),
    Pair(
        name: "en: headline only against the full item",
        a: Text(title: "NATO-Russia Council meets in Brussels amid Ukraine tensions", summary: ""),
        b: Text(
            title: "NATO and Russia hold council talks in Brussels",
            summary: "The NATO-Russia Council met in Brussels on Wednesday for the first time since 2019, as "
                + "tensions over Russia's troop buildup near Ukraine ran high."),
        isSameStory: nil),
    Pair(
        name: "de/en: the same agency item with a tweaked, more click-bait title",
        a: Text(
            title: "Russland kündigt neues Manöver in Belarus an",
            summary: "Russland will im Februar gemeinsam mit Belarus ein großes Militärmanöver abhalten. "
                + "Die Ukraine und die Nato beobachten die Truppenbewegungen mit Sorge."),
        b: Text(
            title: "Droht jetzt der Angriff? Putin schickt Soldaten nach Belarus",
            summary: "Russland will im Februar gemeinsam mit Belarus ein großes Militärmanöver abhalten. "
                + "Die Ukraine und die Nato beobachten die Truppenbewegungen mit großer Sorge."),
        isSameStory: true),
    Pair(
        name: "de: recurring headline, different news",
        a: Text(
            title: "Die Lage am Mittwoch",
            summary: "Russland hat weitere Truppen nach Belarus verlegt. In Kiew beraten die Außenminister über "
                + "mögliche Sanktionen."),
        b: Text(
            title: "Die Lage am Mittwoch",
            summary: "Die Gespräche in Genf sind ohne Ergebnis zu Ende gegangen. Die Ukraine meldet neue "
                + "Cyberangriffe auf Behörden."),
        isSameStory: false),
    Pair(
        name: "en: two live tickers with the same title",
        a: Text(
            title: "Russia-Ukraine crisis: live updates",
            summary: "Follow our live coverage as foreign ministers meet in Geneva for talks on European security."),
        b: Text(
            title: "Russia-Ukraine crisis: live updates",
            summary: "Follow our live coverage as Russia announces new military drills in Belarus and the Baltic."),
        isSameStory: false),
    Pair(
        name: "de: two different stories on the same topic and day",
        a: Text(
            title: "Russland verlegt weitere Truppen nach Belarus",
            summary: "Das russische Militär hat nach Angaben aus Minsk weitere Einheiten für ein gemeinsames "
                + "Manöver nach Belarus verlegt."),
        b: Text(
            title: "Nato-Russland-Rat endet ohne Annäherung",
            summary: "Das Treffen in Brüssel ist ohne Ergebnis zu Ende gegangen. Russland und die Nato bleiben "
                + "bei ihren Positionen zur Ukraine."),
        isSameStory: false),
    Pair(
        name: "en: same people, different events",
        a: Text(
            title: "Blinken and Lavrov to meet in Geneva on Friday",
            summary: "The US secretary of state will hold talks with his Russian counterpart as diplomacy over "
                + "Ukraine intensifies."),
        b: Text(
            title: "Lavrov says Russia has no plans to attack Ukraine",
            summary: "Russia's foreign minister dismissed Western warnings as hysteria and demanded written "
                + "security guarantees from NATO."),
        isSameStory: false),
    Pair(
        name: "de: short headlines sharing two of three words",
        a: Text(title: "Bundestag debattiert über Ukraine", summary: ""),
        b: Text(title: "Bundestag debattiert über Impfpflicht", summary: ""),
        isSameStory: false),
    Pair(
        name: "de: the same short headline, no teasers",
        a: Text(title: "Nato-Russland-Rat tagt in Brüssel", summary: ""),
        b: Text(title: "Nato-Russland-Rat tagt in Brüssel", summary: ""),
        isSameStory: true),
    Pair(
        name: "en: short identical headline, unrelated teasers",
        a: Text(title: "Ukraine: what we know", summary: "Gas prices in Europe rise as supplies through Ukraine fall."),
        b: Text(title: "Ukraine: what we know", summary: "Kyiv hands out rifles to volunteer territorial defence units."),
        isSameStory: false),
    Pair(
        name: "de: agency copy with a prefix, dateline dropped and a word changed",
        a: Text(
            title: "Nato und Russland reden wieder miteinander",
            summary: "Brüssel (dpa) - Erstmals seit mehr als zwei Jahren ist der Nato-Russland-Rat wieder "
                + "zusammengekommen. Die Allianz wirft Moskau vor, die Lage an der Grenze zur Ukraine zu verschärfen."),
        b: Text(
            title: "Ukraine-Krise: Nato und Russland reden wieder miteinander",
            summary: "Erstmals seit mehr als zwei Jahren ist der Nato-Russland-Rat wieder zusammengetreten. Die "
                + "Allianz wirft Moskau vor, die Lage an der Grenze zur Ukraine zu verschärfen."),
        isSameStory: true),
    Pair(
        name: "en: update with a changed figure and a sentence added",
        a: Text(
            title: "Avalanche in Tyrol kills at least three skiers",
            summary: "An avalanche swept over a ski run near Sölden on Tuesday, killing at least three people, "
                + "police said. Rescue teams are searching for more victims."),
        b: Text(
            title: "Avalanche in Tyrol kills at least five skiers",
            summary: "An avalanche swept over a ski run near Sölden on Tuesday, killing at least five people, "
                + "police said. Rescue teams are searching for more victims. The slope had been open despite "
                + "a high avalanche warning."),
        isSameStory: true),
    Pair(
        name: "de: two developments ending with the same agency background",
        a: Text(
            title: "Baerbock reist nach Kiew",
            summary: "Außenministerin Baerbock will in der kommenden Woche in der ukrainischen Hauptstadt "
                + "politische Gespräche führen. Russland hat nach westlichen Angaben rund 100.000 Soldaten an der "
                + "Grenze zur Ukraine zusammengezogen. Der Westen befürchtet einen Einmarsch, Moskau bestreitet Angriffspläne."),
        b: Text(
            title: "Gaspreis steigt auf Rekordhoch",
            summary: "Der Preis für Erdgas im europäischen Großhandel hat am Dienstag einen neuen Höchststand "
                + "erreicht. Russland hat nach westlichen Angaben rund 100.000 Soldaten an der Grenze zur Ukraine "
                + "zusammengezogen. Der Westen befürchtet einen Einmarsch, Moskau bestreitet Angriffspläne."),
        isSameStory: false),
    Pair(
        name: "en: the same boilerplate teaser under different headlines",
        a: Text(title: "Train derails near Leeds station", summary: "This story is developing and will be updated."),
        b: Text(title: "Fire breaks out at Leeds warehouse", summary: "This story is developing and will be updated."),
        isSameStory: false),
]

struct NearDuplicateTests {
    @Test(arguments: nearDuplicatePairs.filter { $0.isSameStory != nil })
    func evidenceDecides(pair: Pair) {
        let a = fingerprint(pair.a), b = fingerprint(pair.b)
        for (x, y) in [(a, b), (b, a)] {
            let evidence = StoryEvidence.compare(
                x, informativeBody: Array(x.body), informativeLead: Array(x.lead), informativeWords: Array(x.words), with: y,
                hoursApart: 1,
                isCommon: { _ in false }, isCommonWord: { _ in false }, isRecurringTitle: false)
            #expect(evidence.isSameReport == pair.isSameStory, "\(evidence.description)")
        }
    }

    func fingerprint(_ text: Text) -> StoryFingerprint {
        StoryFingerprint(titleWords: TextNormalizer.words(in: text.title), summary: text.summary)
    }

    /// Through the store: one alert for a positive pair from two outlets, two for a negative pair.
    @Test(arguments: nearDuplicatePairs.filter { $0.isSameStory != nil })
    func storeFoldsExactlyThePositives(pair: Pair) throws {
        try withStore { store, _ in
            let first = try store.ingest(
                feed("outlet-a"),
                [entry(id: "a-1", link: "https://a.example/1", title: pair.a.title, summary: pair.a.summary)])
            let second = try store.ingest(
                feed("outlet-b"),
                [entry(id: "b-1", link: "https://b.example/9", title: pair.b.title, summary: pair.b.summary)])
            #expect(first.alerts.count == 1)
            #expect(second.items[0].disposition == .new)
            if pair.isSameStory == true {
                #expect(second.items[0].storyKey == first.items[0].storyKey)
                #expect(second.alerts.isEmpty)
                #expect(second.copies.map(\.alertID) == first.alerts.map(\.id))
            } else {
                #expect(second.items[0].storyKey != first.items[0].storyKey)
                #expect(second.alerts.count == 1)
            }
        }
    }

    @Test func fingerprintSurvivesTheDatabaseBlob() throws {
        let original = fingerprint(
            Text(
                title: "Nato-Russland-Rat tagt am Mittwoch, zum ersten Mal seit 2019",
                summary: "Brüssel (dpa) - Vertreter der Nato und Russlands treffen sich nach 2019 wieder. Es geht um die Ukraine."))
        let decoded = try #require(original.blob.withUnsafeBytes { StoryFingerprint(encoded: $0) })
        #expect(decoded == original)
        #expect(!original.title.isEmpty && !original.lead.isEmpty && original.body.count > original.lead.count)
        #expect(original.weekdays == 1 << 2, "Mittwoch")
        #expect(!original.numbers.isEmpty, "2019 in the title")
        #expect(original.dateline != 0, "Brüssel (dpa) -")
    }

    @Test func phrasesIgnoreCaseAccentsAndDashes() {
        let a = fingerprint(Text(title: "Die NATO und der Russland-Rat", summary: "Gespräche in Brüssel."))
        let b = fingerprint(Text(title: "die nato und der russland rat", summary: "GESPRAECHE IN BRUESSEL"))
        #expect(a == b)
    }

    @Test func sentencesEndAtPunctuationFollowedBySpaceAndTheLeadTakesEightWords() {
        // "Rund 100.000 Soldaten." (4 words, 2 phrases) is too short a lead; the next sentence joins it
        // ("z.B." and "100.000" end nothing); "Gut?" is teaser only.
        let print = fingerprint(Text(title: "Lage", summary: "Rund 100.000 Soldaten. Das sagte ein Sprecher (z.B.)! Gut?"))
        #expect(print.lead.count == 2 + 4)
        #expect(print.body.count == 2 + 4 + 1)
    }
}
