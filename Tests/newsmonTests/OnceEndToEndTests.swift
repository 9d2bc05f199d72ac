#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// `newsmon once` and `newsmon tail`, running the built binary.
@Suite(.serialized) struct OnceEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func onceOnTheDemoConfigPrintsTheExpectedAlertsThenNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let args = ["once", "--config", config, "--state", dir.path + "/state", "--output", "json"]
        let first = try await NewsmonProcess.run(args, in: dir)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let alerts = AlertJSON.lines(first.stdout)
        #expect(
            AlertJSON.pairs(alerts) == [
                "https://news.example.org/ausland/nato-russland-rat-101.html nato-russia-council",
                "https://news.example.org/ausland/nato-russland-rat-101.html ukraine-troop-buildup",
                "https://world.example.com/europe/russia-troops-border-2201?utm_source=rss ukraine-troop-buildup",
            ])
        #expect(Set(AlertJSON.ids(AlertJSON.spool(dir.path + "/state/spool"))) == Set(AlertJSON.ids(alerts)))
        // Under journald: no timestamps, a syslog priority prefix.
        let again = try await NewsmonProcess.run(
            args + ["--log-level", "info"], in: dir, name: "again", environment: ["JOURNAL_STREAM": "8:12345"])
        #expect(again.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("<6>info newsmon: ") || $0.hasPrefix("<7>") })
        #expect(again.stderr.contains("<6>info newsmon: poll done"))
        #expect(again.status == 0)
        #expect(again.stdout.isEmpty)
        #expect(AlertJSON.spool(dir.path + "/state/spool").count == 3)

        let text = try await NewsmonProcess.run(
            ["tail", "--state", dir.path + "/state", "--output", "text", "--topic", "nato-russia-council"], in: dir, name: "tail")
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        let since = try await NewsmonProcess.run(["tail", "--state", dir.path + "/state", "--since", "2h", "-n", "100"], in: dir, name: "since")
        #expect(AlertJSON.lines(since.stdout).count == 3)
        let future = try await NewsmonProcess.run(["tail", "--state", dir.path + "/state", "--since", "2099-01-01"], in: dir, name: "future")
        #expect(future.status == 0 && future.stdout.isEmpty)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("[nato-russia-council] demo-de: Nato-Russland-Rat tagt erstmals seit zweieinhalb Jahren <https://news.example.org/ausland/nato-russland-rat-101.html>") == true)
    }

    @Test(.timeLimit(.minutes(2)))
    func onceWritesTheSameSpoolWhateverTheFeedOrderAndMaxInFlight() async throws {
        // Five outlets carry the same report under their own links; the first in id order answers last.
        var routes: [String: [TestHTTPServer.Response]] = [:]
        let ids = ["a", "b", "c", "d", "e"]
        for (n, id) in ids.enumerated() {
            var copy = TestFeeds.councilAndBuildup
            copy.guid = "\(id)-nrr"
            let body = TestFeeds.rss([copy, TestFeeds.neutral])
            routes["/\(id).xml"] = [TestHTTPServer.Response(body: body, delay: 0.1 * Double(ids.count - n))]
        }
        let server = try await TestHTTPServer.start(routes: routes)
        defer { server.stop() }
        var spools: [[String]] = []
        for (order, maxInFlight) in [(ids, 8), (Array(ids.reversed()), 1), ([ids[3], ids[1], ids[4], ids[0], ids[2]], 3)] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let feeds = order.map { ($0, server.url("/\($0).xml").absoluteString) }
            let config = try TestFeeds.configuration(feeds: feeds)
                + "\n[daemon]\nmax_in_flight = \(maxInFlight)\nmax_per_host = 8\n"
            try config.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
            let result = try await NewsmonProcess.run(
                ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "json"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let alerts = AlertJSON.spool(dir.path + "/state/spool")
            spools.append(alerts.map { "\($0["id"] ?? "") \($0["feed"] ?? "")" }.sorted())
        }
        // One alert per topic, raised by the first feed in id order, in every run.
        #expect(spools[0].count == 2 && spools[0].allSatisfy { $0.hasSuffix(" a") })
        #expect(spools.allSatisfy { $0 == spools[0] })
    }

    @Test(.timeLimit(.minutes(2)))
    func onceExitsOneWithASummaryNamingTheFailedFeeds() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.neutral]).write(toFile: dir.path + "/good.xml", atomically: true, encoding: .utf8)
        let config = try TestFeeds.configuration(feeds: [
            ("good", "file://\(dir.path)/good.xml"), ("missing", "file://\(dir.path)/missing.xml"),
        ])
        try config.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let result = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 of 2 feeds failed"))
        #expect(result.stderr.contains("  missing: "))
        #expect(!result.stderr.contains("  good: "))
        let status = try await NewsmonProcess.run(
            ["status", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--json"], in: dir, name: "status")
        #expect(status.status == 0)
        let rows = AlertJSON.lines(status.stdout)
        #expect(rows.map { $0["id"] as? String } == ["good", "missing"])
        #expect(rows[0]["consecutive_errors"] as? Int == 0 && rows[0]["items"] as? Int == 1)
        #expect(rows[1]["consecutive_errors"] as? Int == 1 && rows[1]["next_due"] is String)
    }

    @Test(.timeLimit(.minutes(2)))
    func aBrokenConfigIsReportedWithLineAndColumnAndExitsOne() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "[defaults]\ninterval = \"soon\"\n".write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let result = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("feeds.conf:2:"))
        let usage = try await NewsmonProcess.run(["once", "--no-such-flag"], in: dir, name: "usage")
        #expect(usage.status == 2)
    }

    @Test(.timeLimit(.minutes(2)))
    func tailFollowPrintsAnAlertWrittenAfterItStarted() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.path + "/state"
        try TestFeeds.rss([TestFeeds.englishBuildup]).write(toFile: dir.path + "/one.xml", atomically: true, encoding: .utf8)
        try TestFeeds.configuration(feeds: [("one", "file://\(dir.path)/one.xml")])
            .write(toFile: dir.path + "/one.conf", atomically: true, encoding: .utf8)
        let first = try await NewsmonProcess.run(["once", "--config", dir.path + "/one.conf", "--state", state], in: dir)
        #expect(first.status == 0, "\(first.stderr)")

        let tail = try NewsmonProcess(["tail", "-f", "--state", state, "--output", "json"], in: dir, name: "tail")
        // The existing alert is printed after the watch is in place.
        #expect(await tail.waitForOutput { AlertJSON.lines($0).count == 1 })

        try TestFeeds.rss([TestFeeds.councilAndBuildup]).write(toFile: dir.path + "/two.xml", atomically: true, encoding: .utf8)
        try TestFeeds.configuration(feeds: [("two", "file://\(dir.path)/two.xml")])
            .write(toFile: dir.path + "/two.conf", atomically: true, encoding: .utf8)
        let second = try await NewsmonProcess.run(["once", "--config", dir.path + "/two.conf", "--state", state], in: dir, name: "second")
        #expect(second.status == 0)
        #expect(await tail.waitForOutput { AlertJSON.lines($0).count == 3 })
        try await Task.sleep(for: .milliseconds(300))
        let printed = AlertJSON.lines(tail.stdout)
        #expect(printed.count == 3)
        #expect(Set(AlertJSON.ids(printed)) == Set(AlertJSON.ids(AlertJSON.spool(state + "/spool"))))
        tail.send(SIGTERM)
        _ = await tail.waitForExit(timeout: 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func importOPMLPrintsFeedTablesThatCheckAccepts() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let opml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0"><head><title>Abos</title></head><body>
              <outline text="Nachrichten">
                <outline type="rss" text="Tagesschau – Ausland" xmlUrl="https://www.tagesschau.de/ausland/index~rss2.xml"/>
                <outline type="rss" title="Welt &amp; Wirtschaft" text="x" xmlUrl="https://news.example.org/feed?a=1&amp;b=2"/>
              </outline>
              <outline type="rss" text="Tagesschau – Ausland" xmlUrl="https://mirror.example.org/ausland.xml"/>
              <outline type="rss" text="Lesezeichen" xmlUrl="javascript:void(0)"/>
              <outline type="rss" text="Relativ" xmlUrl="feeds/local.xml"/>
            </body></opml>
            """
        try opml.write(toFile: dir.path + "/subs.opml", atomically: true, encoding: .utf8)
        let result = try await NewsmonProcess.run(["import-opml", dir.path + "/subs.opml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("id = \"tagesschau-ausland\"\nurl = \"https://www.tagesschau.de/ausland/index~rss2.xml\""))
        #expect(result.stdout.contains("id = \"welt-wirtschaft\"\nurl = \"https://news.example.org/feed?a=1&b=2\""))
        #expect(result.stdout.contains("id = \"tagesschau-ausland-2\""))
        // Outlines feeds.conf would refuse are left out and named.
        #expect(!result.stdout.contains("javascript") && !result.stdout.contains("local.xml"))
        #expect(result.stderr.contains("skipping 'Lesezeichen': 'url' must use http, https or file, not \"javascript\""), "\(result.stderr)")
        #expect(result.stderr.contains("skipping 'Relativ': 'url' is not a valid URL") || result.stderr.contains("skipping 'Relativ'"), "\(result.stderr)")
        // The output is valid feeds.conf.
        try (result.stdout + "\n" + (try TestFeeds.shippedTopics)).write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let check = try await NewsmonProcess.run(["check", "--config", dir.path + "/feeds.conf"], in: dir, name: "check")
        #expect(check.status == 0, "\(check.stderr)")

        try "<opml><body><outline xmlUrl='x'>\n</body>".write(toFile: dir.path + "/bad.opml", atomically: true, encoding: .utf8)
        let bad = try await NewsmonProcess.run(["import-opml", dir.path + "/bad.opml"], in: dir, name: "bad")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.opml:2:"))
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutFlagsTheConfigComesFromTheWorkingDirectoryAndStateFromTheEnvironment() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.englishBuildup]).write(toFile: dir.path + "/one.xml", atomically: true, encoding: .utf8)
        try TestFeeds.configuration(feeds: [("one", "file:one.xml")])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let xdg = try await NewsmonProcess.run(
            ["once"], in: dir, environment: ["XDG_STATE_HOME": dir.path + "/xdg", "HOME": dir.path + "/home"])
        #expect(xdg.status == 0, "\(xdg.stderr)")
        #expect(AlertJSON.spool(dir.path + "/xdg/newsmon/spool").count == 1)
        // systemd's STATE_DIRECTORY wins over XDG_STATE_HOME.
        let systemd = try await NewsmonProcess.run(
            ["once"], in: dir, name: "systemd",
            environment: ["STATE_DIRECTORY": dir.path + "/var-lib", "XDG_STATE_HOME": dir.path + "/xdg"])
        #expect(systemd.status == 0)
        #expect(AlertJSON.spool(dir.path + "/var-lib/spool").count == 1)
        let home = try await NewsmonProcess.run(["once"], in: dir, name: "home", environment: ["HOME": dir.path + "/home"])
        #expect(home.status == 0)
        #expect(AlertJSON.spool(dir.path + "/home/.local/state/newsmon/spool").count == 1)
    }
}
