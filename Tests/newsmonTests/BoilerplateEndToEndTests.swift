import Foundation
import NewsTestSupport
import Testing

/// An outlet that puts one teaser on every item (its boilerplate) still raises one alert per story: two different
/// reports a topic matches under that teaser are two stories, through the real binary and the shipped rules.
@Suite(.serialized) struct BoilerplateEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func twoReportsUnderTheOutletsBoilerplateTeaserRaiseTwoAlerts() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let teaser = "Lesen Sie hier alle aktuellen Entwicklungen zum Thema in unserem Liveblog nach."
        let now = Date()
        let items = [
            ("rat-tagt", "Nato-Russland-Rat kommt in Brüssel zusammen", 180.0),
            ("radweg", "Stadtrat beschließt neuen Radweg am Fluss", 150.0),
            ("rat-ablehnung", "Moskau lehnt Vorschläge im Nato-Russland-Rat ab", 120.0),
            ("hafen", "Hafen meldet Rekord beim Umschlag von Containern", 90.0),
        ].map { TestFeeds.Item(guid: $0.0, title: $0.1, description: teaser, date: now.addingTimeInterval(-60 * $0.2)) }
        try await server.setRoute("/feed", [.init(body: TestFeeds.rss(items), etag: "\"v1\"")])
        try TestFeeds.configuration(feeds: [("outlet", server.url("/feed").absoluteString)])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let result = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "json"], in: dir,
            name: "once")
        #expect(result.status == 0, "\(result.stderr)")
        let alerts = AlertJSON.lines(result.stdout)
        #expect(alerts.compactMap { $0["topic"] as? String } == ["nato-russia-council", "nato-russia-council"])
        #expect(Set(alerts.compactMap { $0["story"] as? String }).count == 2, "two stories")
    }
}
