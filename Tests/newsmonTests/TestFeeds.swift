import Foundation
import NewsTestSupport

/// Feeds and configurations for the end-to-end tests, written for them.
enum TestFeeds {
    struct Item {
        var guid: String
        var title: String
        var description: String
        var date: Date = Date().addingTimeInterval(-600)
        var link: String { "https://news.example.org/\(guid).html" }
    }

    /// A German report in the manner of the seed article: the council meets, the troop buildup is discussed.
    static let councilAndBuildup = Item(
        guid: "nrr-brussels",
        title: "Nato-Russland-Rat kommt in Brüssel zusammen",
        description: """
            Erstmals seit mehr als zwei Jahren sitzen Vertreter der Nato und Russlands im Nato-Russland-Rat \
            wieder an einem Tisch. Die Allianz fordert Moskau auf, den Truppenaufmarsch an der Grenze zur \
            Ukraine zu beenden; nach westlichen Angaben hat Russland rund 100.000 Soldaten nahe der \
            ukrainischen Grenze zusammengezogen.
            """)

    static let englishBuildup = Item(
        guid: "buildup-satellite",
        title: "Russia moves more troops and tanks toward Ukraine's border",
        description: "Satellite images show Russian forces massing in the Voronezh region, close to the Ukrainian border.")

    static let neutral = Item(
        guid: "radweg",
        title: "Stadtrat beschließt neuen Radweg am Fluss",
        description: "Der Bau soll im Frühjahr beginnen.")

    static func rss(_ items: [Item], title: String = "Testfeed") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(title)</title><link>https://news.example.org/</link>
            <description>newsmon end-to-end test</description>

            """
        for item in items {
            xml += """
                <item><title>\(item.title)</title><link>\(item.link)</link>
                <guid isPermaLink="false">\(item.guid)</guid><pubDate>\(formatter.string(from: item.date))</pubDate>
                <description>\(item.description)</description></item>

                """
        }
        return xml + "</channel></rss>\n"
    }

    /// The `[define]` table and the `[[topic]]` tables of the shipped feeds.conf (the rest of the
    /// file from the first of them), so the tests run the real rules.
    static var shippedTopics: String {
        get throws {
            let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("feeds.conf"), encoding: .utf8)
            let starts = [text.range(of: "\n[define]"), text.range(of: "[[topic]]")].compactMap { $0?.lowerBound }
            guard let start = starts.min() else { return "" }
            return String(text[start...])
        }
    }

    /// A feeds.conf with the given `(id, url)` feeds, a short interval and the shipped topics.
    static func configuration(feeds: [(id: String, url: String)], interval: String = "1s") throws -> String {
        var text = "[defaults]\ninterval = \"\(interval)\"\ntimeout = \"5s\"\nbackfill = \"all\"\n\n"
        for feed in feeds {
            text += "[[feed]]\nid = \"\(feed.id)\"\nurl = \"\(feed.url)\"\n\n"
        }
        return text + (try shippedTopics)
    }
}
