#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// What `newsmon once` prints besides alerts: its summary and, on a terminal, its progress line.
@Suite(.serialized) struct OnceOutputTests {
    @Test func theSummaryCountsThePrintedAlertsAndNamesEachFailedFeedOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.councilAndBuildup, TestFeeds.englishBuildup])
            .write(toFile: dir.path + "/good.xml", atomically: true, encoding: .utf8)
        try TestFeeds.configuration(feeds: [("good", "file://\(dir.path)/good.xml"), ("broken", "file:///nonexistent/x.xml")])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let outcome = try NewsmonProcess.runBlocking(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "json"])
        #expect(outcome.status == 1)
        let printed = AlertJSON.lines(outcome.stdout).count
        #expect(printed == 3)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "newsmon once: 1 of 2 feeds failed (\(printed) alerts printed):", "\(outcome.stderr)")
        #expect(lines.count == 2, "\(outcome.stderr)")
        #expect(lines.last?.hasPrefix("  broken: ") == true)
        #expect(outcome.stderr.components(separatedBy: "broken").count == 2, "the feed id once: \(outcome.stderr)")
    }

    /// A rate-limited feed and a gone one (messages the pipeline writes as "<id>: HTTP …") are named once too.
    @Test func aRateLimitedFeedIsNamedOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        try await server.setRoute("/limited", [.init(status: 503, headers: ["Retry-After": "60"], body: "busy")])
        try TestFeeds.configuration(feeds: [("limited", server.url("/limited").absoluteString)])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let outcome = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "json"], in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("  limited: HTTP 503"), "\(outcome.stderr)")
        #expect(outcome.stderr.components(separatedBy: "limited:").count == 2, "the feed id once: \(outcome.stderr)")
    }

    @Test(.enabled(if: access("/usr/bin/script", X_OK) == 0))
    func theProgressLineIsClearedBeforeAnAlertIsPrinted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let outcome = try NewsmonProcess.runBlocking(
            ["once", "--config", config, "--state", dir.path + "/state"], onTerminal: true)
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("newsmon: polled 1/2 feeds"))
        let screen = outcome.stdout.replacingOccurrences(of: "\r\n", with: "\n")  // the pty turns \n into \r\n
        let alertLines = screen.split(separator: "\n").filter { $0.contains("] demo-") }
        #expect(alertLines.count == 3)
        for line in alertLines {
            // What stays on screen is what follows the last erase-line sequence: the alert alone.
            let visible = line.components(separatedBy: "\u{1B}[K").last ?? ""
            #expect(visible.first?.isNumber == true, "garbled: \(line.debugDescription)")
        }
    }
}
