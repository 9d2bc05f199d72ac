import Foundation
import NewsTestSupport
import Testing

/// The later blind story sets (fixtures/stories-sameoutlet: what one outlet does with its own text;
/// fixtures/stories-placeholders: breaking-news placeholders; fixtures/stories-fresh: written after every rule)
/// through the real binary and the shipped topics, one
/// `newsmon once` each: no on-topic story goes without its alert (unless a rewrite of its event raised it), and no
/// more on-topic stories alert twice than when the placeholder rule landed (a bound to lower as the rules improve,
/// never to raise: `python3 scripts/story-set-once.py --stories fixtures/<set>` lists them).
@Suite(.serialized) struct BlindStorySetsEndToEndTests {
    @Test(.timeLimit(.minutes(5)), arguments: [("stories-sameoutlet", 0), ("stories-placeholders", 4), ("stories-fresh", 0)])
    func noOnTopicStoryMissesItsAlert(set: String, repeatedAtMost: Int) async throws {
        let items = try StorySetEndToEndTests.items(in: set)
        let events = try StorySetEndToEndTests.eventLinks(items, in: set)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let served = try await StorySetEndToEndTests.serve(items, in: dir)
        defer { served.server.stop() }
        let (storyOfItem, onTopic) = (served.storyOfItem, served.onTopic)
        let eventOfStory = Dictionary(items.map { ($0.story, events[$0.event] ?? $0.event) }, uniquingKeysWith: { a, _ in a })
        #expect(onTopic.count >= 6, "the set has on-topic stories")

        let result = try await NewsmonProcess.run(
            ["once", "--config", dir.path + "/base.conf", "--state", dir.path + "/state", "--output", "none"], in: dir,
            name: "once", timeout: 120)
        #expect(result.status == 0, "\(result.stderr.prefix(2000))")
        let count = try StorySetEndToEndTests.alertCounts(
            AlertJSON.spool(dir.path + "/state/spool"), storyOfItem: storyOfItem)
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
