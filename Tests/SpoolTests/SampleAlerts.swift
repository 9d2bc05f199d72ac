import Foundation
import NewsModel

/// Alerts for the spool tests, with ids shaped like the real digests.
enum SampleAlerts {
    static func make(
        id: String = String(repeating: "ab", count: 32),
        topic: String = "nato-russia-council",
        title: String = "Nato-Russland-Rat tagt in Brüssel",
        detectedAt: Date = Date(timeIntervalSince1970: 1_641_982_503),
        summary: String = "Vertreter der Allianz und Moskaus beraten über Sicherheitsgarantien."
    ) -> Alert {
        Alert(
            id: id,
            topic: topic,
            topicTitle: "NATO-Russia Council",
            detectedAt: detectedAt,
            feed: "demo",
            feedURL: "https://news.example.org/feed.xml",
            item: AlertItem(
                title: title,
                link: "https://news.example.org/ausland/nrr-101.html",
                id: "demo-nrr-101",
                published: Date(timeIntervalSince1970: 1_641_977_880),
                summary: summary
            ),
            why: [MatchEvidence(term: "nato russland rat", field: "title", text: "Nato-Russland-Rat")],
            story: "story-1"
        )
    }

    static func id(_ n: Int) -> String {
        String(format: "%064x", n)
    }
}
