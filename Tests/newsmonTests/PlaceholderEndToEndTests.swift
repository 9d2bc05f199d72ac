import Foundation
import NewsTestSupport
import Testing

/// An outlet's breaking-news placeholder on the council, then its full report under a new link: one alert, through
/// the real binary and the shipped rules, whether the report comes in the same poll or in the next one.
@Suite(.serialized) struct PlaceholderEndToEndTests {
    static func items(now: Date) -> (placeholder: TestFeeds.Item, report: TestFeeds.Item) {
        (
            TestFeeds.Item(
                guid: "eilmeldung-nrr", title: "+++ Eilmeldung +++",
                description: "Das Treffen des Nato-Russland-Rats in Brüssel ist ohne Annäherung zu Ende gegangen. Mehr in Kürze.",
                date: now.addingTimeInterval(-3600)),
            TestFeeds.Item(
                guid: "nrr-keine-annaeherung", title: "Nato-Russland-Rat: Keine Annäherung in Brüssel",
                description: "Nach vier Stunden Gesprächen sind die Nato und Russland in Brüssel ohne Annäherung "
                    + "auseinandergegangen. Generalsekretär Stoltenberg sprach von einem ernsten Austausch.",
                date: now.addingTimeInterval(-1200))
        )
    }

    @Test(.timeLimit(.minutes(2)), arguments: [false, true])
    func aPlaceholderAndItsReportRaiseOneAlert(reportInNextPoll: Bool) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        let (placeholder, report) = Self.items(now: Date())
        try TestFeeds.configuration(feeds: [("outlet", server.url("/feed").absoluteString)])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        var alerts: [[String: Any]] = []
        for poll in reportInNextPoll ? [[placeholder], [report, placeholder]] : [[report, placeholder]] {
            try await server.setRoute("/feed", [.init(body: TestFeeds.rss(poll), etag: "\"v\(poll.count)\"")])
            let result = try await NewsmonProcess.run(
                ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "json"], in: dir,
                name: "once")
            #expect(result.status == 0, "\(result.stderr)")
            alerts += AlertJSON.lines(result.stdout)
        }
        #expect(alerts.compactMap { $0["topic"] as? String } == ["nato-russia-council"], "\(alerts)")
    }
}
