import Dedup
import Fetching
import Foundation
import Logging
import NewsModel
import NewsTestSupport
import Spool
import Synchronization
import Testing

@testable import NewsMonitor

/// `pollOnce` gives the same alerts whatever the order of feeds.conf, `max_in_flight` and the
/// order in which fetches finish (real parser, store and spool; fetch delays scrambled).
@Suite struct PollOnceOrderTests {
    static let feedIDs = (0..<10).map { "f\($0)" }

    /// Story `s`: a title of its own words, matching one or both topics.
    static func storyTitle(_ s: Int) -> String {
        let words = (0..<8).map { "s\(s)w\($0)" }.joined(separator: " ")
        return (s % 2 == 0 ? "Rat tagt zu " : "Rat warnt vor Aufmarsch: ") + words
    }

    /// Every item's date, fixed for the whole test: a date taken at each fetch would let a fetch that
    /// finished a second earlier found a story, which is right for the monitor and wrong for this test.
    static let published = FeedPipelineTests.RFC822.now

    /// Feed n carries stories n % 3 and 3 + n % 4 (shared with other feeds, under its own guids and
    /// links) and one story of its own.
    static func body(for feedID: String) -> [UInt8] {
        let n = Int(feedID.dropFirst())!
        let stories = [n % 3, 3 + n % 4, 10 + n]
        return FeedPipelineTests.rss(stories.map { ("\(feedID)-story\($0)", storyTitle($0)) }, pubDate: published)
    }

    /// A fetcher that answers each feed's ``body(for:)`` after a delay in `delays` (ms) drawn for the trial and feed.
    static func fetcher(trial: UInt64, delays: Range<Int>) -> ScriptedFetcher {
        ScriptedFetcher { request in
            var random = SeededRandom(seed: trial &* 1_000 &+ UInt64(request.feedID.dropFirst())!)
            try? await Task.sleep(for: .milliseconds(Int.random(in: delays, using: &random)))
            return .content(request, Self.body(for: request.feedID))
        }
    }

    /// The feeds in `order` with the shipped test topics.
    static func runtime(order: [String], maxInFlight: Int) -> MonitorRuntime {
        MonitorRuntime(
            configuration: MonitorConfiguration(
                feeds: order.map { FeedSource(id: $0, url: "https://\($0).example.org/feed.xml") },
                topics: FeedPipelineTests.runtime.configuration.topics,
                daemon: DaemonSettings(maxInFlight: maxInFlight)),
            match: FeedPipelineTests.runtime.match)
    }

    /// The spool as `alert id, feed, item id, link` lines.
    func pollOnce(order: [String], maxInFlight: Int, trial: UInt64) async throws -> (alerts: [String], fetchOrder: [String]) {
        try await pollOnce(order: order, maxInFlight: maxInFlight, trial: trial, delays: 0..<30)
    }

    func pollOnce(order: [String], maxInFlight: Int, trial: UInt64, delays: Range<Int>) async throws
        -> (alerts: [String], fetchOrder: [String])
    {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = Self.fetcher(trial: trial, delays: delays)
        let runtime = Self.runtime(order: order, maxInFlight: maxInFlight)
        let options = MonitorOptions(configurationPath: "feeds.conf", stateDirectory: dir.path, output: .none)
        let monitor = try makeMonitor(
            runtime: runtime, options: options, store: try StateDirectory(path: dir.path).openStore(), fetcher: fetcher,
            logger: .quiet)
        let summary = await monitor.pollOnce()
        #expect(summary.failures.isEmpty && summary.deferred.isEmpty && summary.problem == nil)
        let alerts = try SpoolReader(directory: options.spoolDirectory).alerts()
        #expect(summary.alerts == alerts.count)
        return (alerts.map { "\($0.id) \($0.feed) \($0.item.id) \($0.item.link ?? "-")" }.sorted(), fetcher.calls.withLock { $0.map(\.feedID) })
    }

    @Test(.timeLimit(.minutes(1)))
    func theSpoolIsTheSameForAnyFeedOrderAndMaxInFlight() async throws {
        let sorted = Self.feedIDs.sorted()
        var random = SeededRandom(seed: 7)
        let orders = [Self.feedIDs, Self.feedIDs.reversed(), Self.feedIDs.shuffled(using: &random)]
        let reference = try await pollOnce(order: sorted, maxInFlight: 1, trial: 0)
        // Sequential fetches start in feed-id order, not feeds.conf order.
        #expect(reference.fetchOrder == sorted)
        // Stories 0…6 are shared, 10…19 each in one feed; even stories match one topic, odd ones two.
        let expected = 4 + 3 * 2 + 5 + 5 * 2
        #expect(reference.alerts.count == expected)
        // The first feed in id order that carries a story raises its alerts: f0 has stories 0 and 3.
        #expect(reference.alerts.filter { $0.contains(" f0 ") && ($0.hasSuffix("/f0-story0.html") || $0.hasSuffix("/f0-story3.html")) }.count == 3)
        var trial: UInt64 = 1
        for order in orders {
            for maxInFlight in [1, 3, 8] {
                let run = try await pollOnce(order: order, maxInFlight: maxInFlight, trial: trial)
                let differing = Set(run.alerts).symmetricDifference(reference.alerts).sorted()
                #expect(differing.isEmpty, "order \(order), max_in_flight \(maxInFlight): \(differing.prefix(4))")
                trial += 1
            }
        }
    }

    /// More feeds than two chunks of ``Monitor/onceBatchSize``: chunks are prepared while the one before is
    /// delivered, and delivered one at a time in feed-id order, so the first chunk's feeds found the shared
    /// stories whichever fetch finishes first.
    @Test(.timeLimit(.minutes(1)))
    func chunksPreparedDuringADeliveryAreDeliveredInOrder() async throws {
        let feedIDs = (0..<(2 * Monitor.onceBatchSize + 22)).map { "f" + String(1000 + $0).dropFirst() }
        let reference = try await pollOnce(order: feedIDs, maxInFlight: 1, trial: 0, delays: 0..<1)
        // Stories 0…6 are shared by every chunk; each feed has one of its own (10 + n).
        let own = feedIDs.count
        #expect(reference.alerts.count == 4 + 3 * 2 + own / 2 + (own - own / 2) * 2)
        // Every alert of a shared story is raised by a feed of the first chunk.
        let firstChunk = Set(feedIDs.prefix(Monitor.onceBatchSize))
        let shared = reference.alerts.filter { line in (0...6).contains { line.hasSuffix("-story\($0).html") } }
        #expect(shared.count == 10 && shared.allSatisfy { firstChunk.contains(String($0.split(separator: " ")[1])) })
        var random = SeededRandom(seed: 3)
        for (trial, order) in [feedIDs.reversed(), feedIDs.shuffled(using: &random)].enumerated() {
            let run = try await pollOnce(order: order, maxInFlight: 8, trial: UInt64(trial + 1), delays: 0..<4)
            let differing = Set(run.alerts).symmetricDifference(reference.alerts).sorted()
            #expect(differing.isEmpty, "order \(trial), max_in_flight 8: \(differing.prefix(4))")
        }
    }
}
