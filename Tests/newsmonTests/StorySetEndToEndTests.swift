import Foundation
import NewsTestSupport
import Testing

/// The labelled story set (fixtures/stories) through the real binary: one loopback feed per outlet, the
/// shipped topics, `newsmon once`. Every on-topic story raises exactly one alert per topic, and the spool is
/// the same whatever the order of the feeds in feeds.conf and `max_in_flight`.
@Suite(.serialized) struct StorySetEndToEndTests {
    struct Item {
        var feed: String
        var story: String
        var event: String
        var title: String
        var summary: String
        var link: String
        var guid: String
        var date: Date
    }

    /// The labelled items of a set (a folder of fixtures/), dated so that the newest is an hour old (the sets are
    /// from January 2022).
    static func items(in set: String = "stories") throws -> [Item] {
        let directory = RepositoryPaths.fixtures.appendingPathComponent(set)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        let formatter = ISO8601DateFormatter()
        var items: [Item] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.isEmpty {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let link = object["link"] as? String ?? ""
                items.append(
                    Item(
                        feed: object["feed"] as? String ?? "", story: object["story"] as? String ?? "",
                        event: object["event"] as? String ?? "", title: object["title"] as? String ?? "",
                        summary: object["summary"] as? String ?? "", link: link,
                        guid: (object["guid"] as? String) ?? link,
                        date: try #require(formatter.date(from: object["published"] as? String ?? ""))))
            }
        }
        let newest = items.map(\.date).max() ?? Date()
        let shift = Date().addingTimeInterval(-3600).timeIntervalSince(newest)
        return items.map { var item = $0; item.date = item.date.addingTimeInterval(shift); return item }
    }

    /// Events that several writers reported: the set's cross-writer-events.tsv (a set by one writer has none).
    static func eventLinks(_ items: [Item], in set: String = "stories") throws -> [String: String] {
        let path = RepositoryPaths.fixtures.appendingPathComponent(set + "/cross-writer-events.tsv")
        guard FileManager.default.fileExists(atPath: path.path) else {
            return Dictionary(items.map { ($0.event, $0.event) }, uniquingKeysWith: { a, _ in a })
        }
        let eventOfStory = Dictionary(items.map { ($0.story, $0.event) }, uniquingKeysWith: { a, _ in a })
        var alias: [String: String] = [:]
        func root(_ event: String) -> String {
            var event = event
            while let next = alias[event], next != event { event = next }
            return event
        }
        for line in try String(contentsOf: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 2, let a = eventOfStory[fields[0]], let b = eventOfStory[fields[1]] else { continue }
            let (x, y) = (root(a), root(b))
            if x != y { alias[max(x, y)] = min(x, y) }
        }
        return Dictionary(items.map { ($0.event, root($0.event)) }, uniquingKeysWith: { a, _ in a })
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func rss(_ items: [Item]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>\n"
        for item in items {
            xml += "<item><title>\(escape(item.title))</title><link>\(escape(item.link))</link>"
                + "<guid isPermaLink=\"false\">\(escape(item.guid))</guid><pubDate>\(formatter.string(from: item.date))</pubDate>"
                + "<description>\(escape(item.summary))</description></item>\n"
        }
        return xml + "</channel></rss>\n"
    }

    /// A set's items served from loopback, one feed file per outlet, and which of them the shipped topics match.
    struct Served {
        var server: TestHTTPServer
        var feedIDs: [String]
        /// Feed and item id → labelled story.
        var storyOfItem: [String: String]
        /// "story topic" for every story an item of which a topic matches.
        var onTopic: Set<String>
    }

    /// Writes the items' feeds under `dir`, serves them, and runs `newsmon match` over the same files (the dry run of
    /// the rules) for the on-topic stories. The caller stops the server.
    static func serve(_ items: [Item], in dir: TemporaryDirectory) async throws -> Served {
        let feedsDirectory = dir.url.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feedsDirectory, withIntermediateDirectories: true)
        let byFeed = Dictionary(grouping: items, by: \.feed)
        for (feed, feedItems) in byFeed {
            try rss(feedItems).write(to: feedsDirectory.appendingPathComponent(feed + ".xml"), atomically: true, encoding: .utf8)
        }
        let server = try await TestHTTPServer.start(root: feedsDirectory)
        let feedIDs = byFeed.keys.sorted()
        let baseConfig = try TestFeeds.configuration(feeds: feedIDs.map { ($0, server.url("/\($0).xml").absoluteString) })
        try baseConfig.write(toFile: dir.path + "/base.conf", atomically: true, encoding: .utf8)
        let match = try await NewsmonProcess.run(
            ["match", "--config", dir.path + "/base.conf"] + feedIDs.map { feedsDirectory.appendingPathComponent($0 + ".xml").path },
            in: dir, name: "match", timeout: 300)
        #expect(match.status == 0, "\(match.stderr.prefix(2000))")
        let storyOfItem = Dictionary(items.map { ($0.feed + "\n" + $0.guid, $0.story) }, uniquingKeysWith: { a, _ in a })
        var onTopic = Set<String>()
        for line in AlertJSON.lines(match.stdout) {
            let file = (line["feed"] as? String ?? "").replacingOccurrences(of: ".xml", with: "")
            guard let story = storyOfItem[file + "\n" + (line["id"] as? String ?? "")] else { continue }
            for topic in line["topics"] as? [String] ?? [] { onTopic.insert(story + " " + topic) }
        }
        return Served(server: server, feedIDs: feedIDs, storyOfItem: storyOfItem, onTopic: onTopic)
    }

    /// Alerts per "story topic" in a spool's alerts (`storyOfItem`: feed and item id → labelled story).
    static func alertCounts(_ alerts: [[String: Any]], storyOfItem: [String: String]) throws -> [String: Int] {
        var count: [String: Int] = [:]
        for alert in alerts {
            let item = alert["item"] as? [String: Any] ?? [:]
            let id = (item["id"] as? String ?? "").replacingOccurrences(of: "guid:", with: "")
            let story = try #require(storyOfItem["\(alert["feed"] ?? "")\n" + id], "alert for an unknown item \(id)")
            count[story + " " + "\(alert["topic"] ?? "")", default: 0] += 1
        }
        return count
    }

    @Test(.timeLimit(.minutes(10)))
    func everyOnTopicStoryAlertsOncePerTopicInAnyFeedOrder() async throws {
        let items = try Self.items()
        let events = try Self.eventLinks(items)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let served = try await Self.serve(items, in: dir)
        defer { served.server.stop() }
        let (server, feedIDs, storyOfItem, onTopic) = (served.server, served.feedIDs, served.storyOfItem, served.onTopic)
        let eventOfStory = Dictionary(items.map { ($0.story, events[$0.event] ?? $0.event) }, uniquingKeysWith: { a, _ in a })
        #expect(onTopic.count >= 60, "the set has on-topic stories for both shipped topics")

        // `once` under 10 random feed orders, with max_in_flight 1 and 8.
        var random = SeededRandom(seed: 20_220_112)
        var spools: [[String]] = []
        for run in 0..<10 {
            var order = feedIDs
            order.shuffle(using: &random)
            var config = try TestFeeds.configuration(feeds: order.map { ($0, server.url("/\($0).xml").absoluteString) })
            config = config.replacingOccurrences(of: "backfill = \"all\"\n", with: "backfill = \"all\"\n\n[daemon]\nmax_in_flight = \(run % 2 == 0 ? 1 : 8)\n")
            try config.write(toFile: dir.path + "/run\(run).conf", atomically: true, encoding: .utf8)
            let result = try await NewsmonProcess.run(
                ["once", "--config", dir.path + "/run\(run).conf", "--state", dir.path + "/state\(run)", "--output", "none"],
                in: dir, name: "once\(run)", timeout: 300)
            #expect(result.status == 0, "\(result.stderr.prefix(2000))")
            let alerts = AlertJSON.spool(dir.path + "/state\(run)/spool")
            spools.append(alerts.map { alert in
                let item = alert["item"] as? [String: Any] ?? [:]
                return "\(alert["id"] ?? "") \(alert["topic"] ?? "") \(alert["feed"] ?? "") \(item["id"] ?? "")"
            }.sorted())
            if run == 0 {
                // Exactly one alert per on-topic story and topic; a story may raise none only when another
                // story of the same event (a rewrite) raised it.
                let count = try Self.alertCounts(alerts, storyOfItem: storyOfItem)
                for pair in onTopic.sorted() {
                    let parts = pair.split(separator: " ").map(String.init)
                    let n = count[pair] ?? 0
                    #expect(n <= 1, "\(pair): \(n) alerts")
                    if n == 0 {
                        let event = eventOfStory[parts[0]]
                        let raisedBySibling = count.contains { key, value in
                            let other = key.split(separator: " ").map(String.init)
                            return value > 0 && other[1] == parts[1] && other[0] != parts[0]
                                && eventOfStory[other[0]] == event
                        }
                        #expect(raisedBySibling, "\(pair): no alert")
                    }
                }
                for (pair, n) in count { #expect(onTopic.contains(pair), "\(pair): \(n) alerts for a story the rules do not match") }
            }
        }
        for run in 1..<spools.count { #expect(spools[run] == spools[0], "run \(run) differs from run 0") }

        // The daemon's first poll (its start-up round), fetches finishing in any order: the spool of `once`.
        var order = feedIDs
        order.shuffle(using: &random)
        var config = try TestFeeds.configuration(feeds: order.map { ($0, server.url("/\($0).xml").absoluteString) })
        config = config.replacingOccurrences(of: "backfill = \"all\"\n", with: "backfill = \"all\"\n\n[daemon]\nmax_in_flight = 8\n")
        try config.write(toFile: dir.path + "/daemon.conf", atomically: true, encoding: .utf8)
        let daemon = try DaemonEndToEndTests.Daemon(config: dir.path + "/daemon.conf", in: dir)
        #expect(await daemon.process.waitForOutput(timeout: 300, stream: \.stderr) { $0.contains("poll cycle done") })
        let (status, _) = await daemon.stop()
        #expect(status == 0)
        let daemonSpool = daemon.spool.map { alert in
            let item = alert["item"] as? [String: Any] ?? [:]
            return "\(alert["id"] ?? "") \(alert["topic"] ?? "") \(alert["feed"] ?? "") \(item["id"] ?? "")"
        }.sorted()
        #expect(daemonSpool == spools[0], "the daemon: \(Set(daemonSpool).symmetricDifference(spools[0]).sorted().prefix(4))")
    }
}
