#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// `newsmon run` as a process against a loopback HTTP server whose feeds change between polls.
@Suite(.serialized) struct DaemonEndToEndTests {
    /// A daemon with its notify socket, state and spool in `dir`.
    struct Daemon {
        let process: NewsmonProcess
        let notify: NotifyReceiver
        let state: String

        init(config: String, in dir: TemporaryDirectory, name: String = "daemon", extra: [String] = []) throws {
            notify = try NotifyReceiver(path: dir.path + "/\(name).notify")
            state = dir.path + "/state"
            process = try NewsmonProcess(
                ["run", "--config", config, "--state", state, "--output", "json", "--startup-spread", "0",
                 "--log-level", "debug"] + extra,
                in: dir, name: name, environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        }

        var spool: [[String: Any]] { AlertJSON.spool(state + "/spool") }
        var printed: [[String: Any]] { AlertJSON.lines(process.stdout) }

        func waitForSpool(count: Int, timeout: Double = 30) async -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if spool.count >= count { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        /// SIGTERM, then the exit status and how long the exit took.
        func stop() async -> (status: Int32?, seconds: Double) {
            let start = Date()
            process.send(SIGTERM)
            let status = await process.waitForExit(timeout: 15)
            notify.stop()
            return (status, Date().timeIntervalSince(start))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func alertsOnChangingFeedsOnceInSpoolAndStdoutAndStopsCleanly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let www = dir.url.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        try TestFeeds.rss([TestFeeds.councilAndBuildup, TestFeeds.neutral]).write(to: www.appendingPathComponent("de.xml"), atomically: true, encoding: .utf8)
        try TestFeeds.rss([TestFeeds.neutral]).write(to: www.appendingPathComponent("en.xml"), atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer.start(root: www)
        defer { server.stop() }
        try TestFeeds.configuration(feeds: [("de", server.url("/de.xml").absoluteString), ("en", server.url("/en.xml").absoluteString)])
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)

        let daemon = try Daemon(config: dir.path + "/feeds.conf", in: dir)
        #expect(await daemon.notify.waitFor { $0.hasPrefix("READY=1") })
        // The seed-like German item alerts on both topics.
        #expect(await daemon.waitForSpool(count: 2))
        #expect(Set(daemon.spool.compactMap { $0["topic"] as? String }) == ["nato-russia-council", "ukraine-troop-buildup"])

        // The English feed gets a new item: exactly one more alert, then nothing more over several polls.
        try await Task.sleep(for: .milliseconds(1500))
        try TestFeeds.rss([TestFeeds.englishBuildup, TestFeeds.neutral]).write(to: www.appendingPathComponent("en.xml"), atomically: true, encoding: .utf8)
        #expect(await daemon.waitForSpool(count: 3))
        try await Task.sleep(for: .seconds(3))
        #expect(daemon.spool.count == 3)
        #expect(await daemon.process.waitForOutput { AlertJSON.lines($0).count >= 3 })

        let (status, seconds) = await daemon.stop()
        #expect(status == 0)
        #expect(seconds < 5)
        let spoolIDs = AlertJSON.ids(daemon.spool)
        let printedIDs = AlertJSON.ids(daemon.printed)
        #expect(printedIDs.count == 3 && Set(printedIDs).count == 3)
        #expect(Set(printedIDs) == Set(spoolIDs))

        // sd_notify: READY first, status per cycle, watchdog pings, STOPPING last.
        let messages = daemon.notify.messages
        #expect(messages.first == "READY=1")
        #expect(messages.filter { $0 != "WATCHDOG=1" }.last == "STOPPING=1")
        #expect(messages.contains("STATUS=2 feeds, 3 alerts, 0 failing"))
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 4)
        // Every feed event names the feed.
        #expect(daemon.process.stderr.contains("feed.id=de"))
        #expect(daemon.process.stderr.contains("feed.id=en"))
    }

    @Test(.timeLimit(.minutes(2)))
    func sighupReloadsAGoodConfigAndKeepsTheOldOneOnABrokenConfig() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let www = dir.url.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        try TestFeeds.rss([TestFeeds.neutral]).write(to: www.appendingPathComponent("a.xml"), atomically: true, encoding: .utf8)
        try TestFeeds.rss([TestFeeds.englishBuildup]).write(to: www.appendingPathComponent("b.xml"), atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer.start(root: www)
        defer { server.stop() }
        let config = dir.path + "/feeds.conf"
        let feedA = ("a", server.url("/a.xml").absoluteString)
        try TestFeeds.configuration(feeds: [feedA]).write(toFile: config, atomically: true, encoding: .utf8)

        let daemon = try Daemon(config: config, in: dir)
        #expect(await daemon.notify.waitFor { $0.hasPrefix("STATUS=1 feeds") })

        // Broken: an unknown key and a bad duration. The old configuration stays.
        try "[defaults]\ninterval = \"often\"\n\n[[feed]]\nid = \"b\"\nurl = \"\(server.url("/b.xml"))\"\ncolour = \"red\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        #expect(await daemon.process.waitForOutput(stream: \.stderr) { $0.contains("reload failed") })
        let errors = daemon.process.stderr.split(separator: "\n").filter { $0.contains("configuration error") }
        #expect(errors.count >= 2)
        #expect(errors.allSatisfy { $0.contains("feeds.conf:") })
        #expect(errors.contains { $0.contains("feeds.conf:2:") })
        try await Task.sleep(for: .seconds(2))
        #expect(daemon.spool.isEmpty)  // feed b is not polled

        // Good: feed b added; its item alerts.
        try TestFeeds.configuration(feeds: [feedA, ("b", server.url("/b.xml").absoluteString)])
            .write(toFile: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        #expect(await daemon.waitForSpool(count: 1))
        #expect(daemon.spool.first?["feed"] as? String == "b")
        let (status, _) = await daemon.stop()
        #expect(status == 0)
        let messages = daemon.notify.messages.filter { !$0.hasPrefix("WATCHDOG") && !$0.hasPrefix("STATUS") }
        #expect(messages == ["READY=1", "RELOADING=1", "READY=1", "RELOADING=1", "READY=1", "STOPPING=1"])
    }

    @Test(.timeLimit(.minutes(3)))
    func killMinus9MidCycleThenRestartLosesAndRepeatsNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 130 feeds, each with its own matching item, each answering after 0.1 s (two at a time on the one host:
        // 6.5 s in all). The daemon's start-up round delivers them in three chunks (64, 64, 2: `StartupRound`), so the
        // kill comes after the first chunk's alerts and before the last.
        let count = 2 * 64 + 2
        var routes: [String: [TestHTTPServer.Response]] = [:]
        var feeds: [(id: String, url: String)] = []
        for n in 0..<count {
            // Distinct stories: apart from the matching sentence, every word is this item's own.
            let words = (0..<30).map { "w\(n)q\($0)" }.joined(separator: " ")
            var item = TestFeeds.englishBuildup
            item.guid = "buildup-\(n)"
            item.title = "Report \(n): Russian troops massing near the Ukrainian border, w\(n)t1 w\(n)t2 w\(n)t3"
            item.description = "\(words)."
            routes["/f\(n).xml"] = [TestHTTPServer.Response(body: TestFeeds.rss([item]), delay: 0.1)]
        }
        let server = try await TestHTTPServer.start(routes: routes)
        defer { server.stop() }
        for n in 0..<count { feeds.append(("f\(n)", server.url("/f\(n).xml").absoluteString)) }
        let config = dir.path + "/feeds.conf"
        try TestFeeds.configuration(feeds: feeds, interval: "1h").write(toFile: config, atomically: true, encoding: .utf8)

        let first = try Daemon(config: config, in: dir, name: "first")
        #expect(await first.waitForSpool(count: 3))
        first.process.send(SIGKILL)
        _ = await first.process.waitForExit(timeout: 5)
        first.notify.stop()
        let beforeRestart = first.spool.count
        #expect(beforeRestart < count)  // killed mid-cycle

        let second = try Daemon(config: config, in: dir, name: "second")
        #expect(await second.waitForSpool(count: count, timeout: 60))
        try await Task.sleep(for: .seconds(1))
        let (status, _) = await second.stop()
        #expect(status == 0)
        let ids = AlertJSON.ids(second.spool)
        #expect(ids.count == count)  // none lost, none repeated
        #expect(Set(ids).count == count)
        // What the first process printed plus what the second printed: each alert at most once.
        let printed = AlertJSON.ids(first.printed) + AlertJSON.ids(second.printed)
        #expect(Set(printed).count == printed.count)
    }

    @Test(.timeLimit(.minutes(1)))
    func sigtermWithAFetchInFlightFinishesItAndExitsZeroWithinTheBound() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start(routes: ["/hang.xml": [TestHTTPServer.Response(body: "late", delay: 60)]])
        defer { server.stop() }
        // The feed's 3 s deadline ends the fetch well within the 10 s shutdown budget.
        let config = try TestFeeds.configuration(feeds: [("hang", server.url("/hang.xml").absoluteString)], interval: "10m")
            .replacingOccurrences(of: "timeout = \"5s\"", with: "timeout = \"3s\"")
        try config.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let daemon = try Daemon(config: dir.path + "/feeds.conf", in: dir)
        #expect(await daemon.notify.waitFor { $0 == "READY=1" })
        #expect(await eventuallyTrue { ((try? await server.requests()) ?? []).count == 1 })
        let (status, seconds) = await daemon.stop()
        #expect(status == 0)
        #expect(seconds < 8)
        #expect(daemon.process.stderr.contains("feed poll failed"))
        #expect(daemon.process.stderr.contains("feed.id=hang"))
        #expect(daemon.notify.messages.filter { $0 != "WATCHDOG=1" }.last == "STOPPING=1")
    }

    func eventuallyTrue(timeout: Double = 20, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
