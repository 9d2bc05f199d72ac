import Foundation
import NewsTestSupport
import Testing

/// The later blind story sets (fixtures/stories-sameoutlet: what one outlet does with its own text;
/// fixtures/stories-placeholders: breaking-news placeholders) through the real binary and the shipped topics, one
/// `newsmon once` each: no on-topic story goes without its alert (unless a rewrite of its event raised it), and no
/// more on-topic stories alert twice than when the placeholder rule landed (a bound to lower as the rules improve,
/// never to raise: `python3 scripts/story-set-once.py --stories fixtures/<set>` lists them).
@Suite(.serialized) struct BlindStorySetsEndToEndTests {
    @Test(.timeLimit(.minutes(5)), arguments: [("stories-sameoutlet", 0), ("stories-placeholders", 4)])
    func noOnTopicStoryMissesItsAlert(set: String, repeatedAtMost: Int) async throws {
        let items = try StorySetEndToEndTests.items(in: set)
        let events = try StorySetEndToEndTests.eventLinks(items, in: set)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let feedsDirectory = dir.url.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feedsDirectory, withIntermediateDirectories: true)
        let byFeed = Dictionary(grouping: items, by: \.feed)
        for (feed, feedItems) in byFeed {
            try StorySetEndToEndTests.rss(feedItems)
                .write(to: feedsDirectory.appendingPathComponent(feed + ".xml"), atomically: true, encoding: .utf8)
        }
        let server = try await TestHTTPServer.start(root: feedsDirectory)
        defer { server.stop() }
        let feedIDs = byFeed.keys.sorted()
        try TestFeeds.configuration(feeds: feedIDs.map { ($0, server.url("/\($0).xml").absoluteString) })
            .write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)

        // Which topics each item matches (`newsmon match` over the same files).
        let match = try await NewsmonProcess.run(
            ["match", "--config", dir.path + "/feeds.conf"] + feedIDs.map { feedsDirectory.appendingPathComponent($0 + ".xml").path },
            in: dir, name: "match", timeout: 120)
        #expect(match.status == 0, "\(match.stderr.prefix(2000))")
        let storyOfItem = Dictionary(items.map { ($0.feed + "\n" + $0.guid, $0.story) }, uniquingKeysWith: { a, _ in a })
        let eventOfStory = Dictionary(items.map { ($0.story, events[$0.event] ?? $0.event) }, uniquingKeysWith: { a, _ in a })
        var onTopic = Set<String>()  // "story topic"
        for line in AlertJSON.lines(match.stdout) {
            let file = (line["feed"] as? String ?? "").replacingOccurrences(of: ".xml", with: "")
            guard let story = storyOfItem[file + "\n" + (line["id"] as? String ?? "")] else { continue }
            for topic in line["topics"] as? [String] ?? [] { onTopic.insert(story + " " + topic) }
        }
        #expect(onTopic.count >= 6, "the set has on-topic stories")

        let result = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--output", "none"], in: dir,
            name: "once", timeout: 120)
        #expect(result.status == 0, "\(result.stderr.prefix(2000))")
        var count: [String: Int] = [:]
        for alert in AlertJSON.spool(dir.path + "/state/spool") {
            let item = alert["item"] as? [String: Any] ?? [:]
            let id = (item["id"] as? String ?? "").replacingOccurrences(of: "guid:", with: "")
            let story = try #require(storyOfItem["\(alert["feed"] ?? "")\n" + id], "alert for an unknown item \(id)")
            count[story + " " + "\(alert["topic"] ?? "")", default: 0] += 1
        }
        var missed: [String] = []
        for pair in onTopic.sorted() where count[pair] == nil {
            let parts = pair.split(separator: " ").map(String.init)
            let raisedBySibling = count.contains { key, _ in
                let other = key.split(separator: " ").map(String.init)
                return other[1] == parts[1] && other[0] != parts[0] && eventOfStory[other[0]] == eventOfStory[parts[0]]
            }
            if !raisedBySibling { missed.append(pair) }
        }
        #expect(missed.isEmpty, "on-topic stories without an alert: \(missed)")
        let repeated = count.filter { $0.value > 1 }.keys.sorted()
        #expect(repeated.count <= repeatedAtMost, "on-topic stories alerting more than once: \(repeated)")
        for (pair, n) in count { #expect(onTopic.contains(pair), "\(pair): \(n) alerts for a story the rules do not match") }
    }
}
