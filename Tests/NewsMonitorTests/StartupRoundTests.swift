import Dedup
import Fetching
import Foundation
import Logging
import NewsModel
import NewsTestSupport
import ServiceLifecycle
import Spool
import Synchronization
import Testing

@testable import NewsMonitor

/// The daemon's start-up round (``StartupRound``): its first poll raises the alerts of `newsmon once`, whatever order
/// the fetches finish in.
@Suite struct StartupRoundTests {
    /// The daemon's first poll of ``PollOnceOrderTests``'s feeds, fetch delays scrambled by `trial`, run until every
    /// feed was delivered; the spool as `alert id, feed, item id, link` lines. `viaReload`: the daemon starts with no
    /// feed, and a reload adds them.
    func daemonFirstPoll(
        order: [String], maxInFlight: Int, trial: UInt64, spread: Double, viaReload: Bool = false
    ) async throws -> [String] {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = PollOnceOrderTests.fetcher(trial: trial, delays: 0..<30)
        let runtime = PollOnceOrderTests.runtime(order: order, maxInFlight: maxInFlight)
        let options = MonitorOptions(
            configurationPath: "feeds.conf", stateDirectory: dir.path, output: .none, startupSpread: .seconds(spread))
        let monitor = try makeMonitor(
            runtime: runtime, options: options, store: try StateDirectory(path: dir.path).openStore(), fetcher: fetcher,
            logger: .quiet)
        let clock = ManualMonitorClock(now: Date())
        let notifier = RecordingNotifier()
        let empty = MonitorRuntime(
            configuration: MonitorConfiguration(feeds: [], topics: runtime.configuration.topics, daemon: runtime.configuration.daemon),
            match: runtime.match)
        let service = MonitorService(
            pipeline: monitor.pipeline, runtime: viaReload ? empty : runtime, options: options, notifier: notifier, clock: clock,
            logger: .quiet)
        let group = ServiceGroup(services: [service], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if viaReload {
                #expect(await eventually { clock.sleeperCount == 1 })
                service.apply(runtime)
            }
            // The spread: the round's fetches start at their due times, which only the clock reaches.
            if spread > 0 {
                #expect(await eventually { clock.sleeperCount == 1 })
                clock.advance(by: spread + 1)
            }
            #expect(await eventually { notifier.all.contains { $0.hasPrefix("STATUS=") } })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(fetcher.calls.withLock { $0.count } == order.count)
        return try SpoolReader(directory: options.spoolDirectory).alerts()
            .map { "\($0.id) \($0.feed) \($0.item.id) \($0.item.link ?? "-")" }.sorted()
    }

    @Test(.timeLimit(.minutes(1)))
    func theDaemonsFirstPollRaisesTheAlertsOfOnceWhateverOrderFetchesFinishIn() async throws {
        let sorted = PollOnceOrderTests.feedIDs.sorted()
        let reference = try await PollOnceOrderTests().pollOnce(order: sorted, maxInFlight: 1, trial: 0).alerts
        #expect(reference.count == 25)
        var random = SeededRandom(seed: 11)
        let orders = [sorted.reversed(), PollOnceOrderTests.feedIDs.shuffled(using: &random)]
        var trial: UInt64 = 1
        for order in orders {
            for (maxInFlight, spread) in [(8, 0.0), (3, 30.0)] {
                let run = try await daemonFirstPoll(order: order, maxInFlight: maxInFlight, trial: trial, spread: spread)
                let differing = Set(run).symmetricDifference(reference).sorted()
                #expect(differing.isEmpty, "max_in_flight \(maxInFlight), spread \(spread): \(differing.prefix(4))")
                trial += 1
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theFeedsAReloadAddsArePolledAsOneRound() async throws {
        let sorted = PollOnceOrderTests.feedIDs.sorted()
        let reference = try await PollOnceOrderTests().pollOnce(order: sorted, maxInFlight: 1, trial: 0).alerts
        let run = try await daemonFirstPoll(order: sorted.reversed(), maxInFlight: 8, trial: 5, spread: 0, viaReload: true)
        #expect(Set(run).symmetricDifference(reference).isEmpty)
    }

    static func feeds(_ count: Int) -> [FeedSource] {
        (0..<count).map { FeedSource(id: "f" + String(1000 + $0).dropFirst(), url: "https://f\($0).example.org/") }
    }

    @Test func feedsAreDueInFeedIDOrderOverTheSpread() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var round = StartupRound(feeds: Self.feeds(4), now: start, spread: .seconds(40), maxInFlight: 8)
        var abandoned: [String] = []
        let current: (String) -> FeedSource? = { id in Self.feeds(4).first { $0.id == id } }
        #expect(round.nextLaunch(now: start, limit: 8, current: current, abandoned: &abandoned)?.feed.id == "f000")
        #expect(round.nextLaunch(now: start, limit: 8, current: current, abandoned: &abandoned) == nil)
        #expect(round.nextDue(limit: 8) == start.addingTimeInterval(10))
        let later = start.addingTimeInterval(25)
        #expect(round.nextLaunch(now: later, limit: 8, current: current, abandoned: &abandoned)?.feed.id == "f001")
        #expect(round.nextLaunch(now: later, limit: 8, current: current, abandoned: &abandoned)?.feed.id == "f002")
        // At most `limit` of the round's fetches at once.
        #expect(round.inFlight == 3)
        #expect(round.nextLaunch(now: start.addingTimeInterval(60), limit: 3, current: current, abandoned: &abandoned) == nil)
        #expect(round.nextDue(limit: 3) == nil)
        #expect(abandoned.isEmpty)
    }

    @Test func aChunkIsDeliveredWhenAllItsFeedsArePreparedOrSkippedAndOneAtATime() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let feeds = Self.feeds(Monitor.onceBatchSize + 3)
        var round = StartupRound(feeds: feeds, now: now, spread: .zero, maxInFlight: 200)
        // A reload removed f001: it is skipped and given back to the schedule.
        var abandoned: [String] = []
        var launched: [(Int, FeedSource)] = []
        let current: (String) -> FeedSource? = { id in id == "f001" ? nil : feeds.first { $0.id == id } }
        while let next = round.nextLaunch(now: now, limit: 200, current: current, abandoned: &abandoned) {
            launched.append(next)
        }
        #expect(abandoned == ["f001"])
        // Only one chunk ahead of the deliveries when the round is small (as in `newsmon once`).
        #expect(launched.count == Monitor.onceBatchSize - 1)
        #expect(round.marked == feeds.count - 1)
        func poll(_ feed: FeedSource) -> PreparedPoll {
            PreparedPoll(
                feed: feed, now: now, logger: .quiet,
                stage: .finished(FeedPollReport(feed: feed, outcome: .fetched, record: StoredFeedState(feedID: feed.id, url: feed.url))))
        }
        for (position, feed) in launched.dropLast() { round.prepared(poll(feed), at: position) }
        #expect(round.takeChunk() == nil)  // the chunk's last feed is still fetching
        let (last, lastFeed) = launched.last!
        round.prepared(poll(lastFeed), at: last)
        let chunk = round.takeChunk()
        #expect(chunk?.map(\.feed.id) == feeds.prefix(Monitor.onceBatchSize).map(\.id).filter { $0 != "f001" })
        // The rest launches now; its chunk waits for the delivery of the first.
        while let next = round.nextLaunch(now: now, limit: 200, current: { id in feeds.first { $0.id == id } }, abandoned: &abandoned) {
            round.prepared(poll(next.feed), at: next.position)
        }
        #expect(round.takeChunk() == nil)
        round.delivered(chunk!.count)
        #expect(round.marked == 3)
        #expect(round.takeChunk()?.count == 3)
        round.delivered(3)
        #expect(round.isDone && round.marked == 0)
    }

    @Test func closingSkipsWhatWasNotLaunchedAndStillDeliversWhatWas() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let feeds = Self.feeds(5)
        var round = StartupRound(feeds: feeds, now: now, spread: .zero, maxInFlight: 2)
        var abandoned: [String] = []
        let first = round.nextLaunch(now: now, limit: 2, current: { id in feeds.first { $0.id == id } }, abandoned: &abandoned)!
        #expect(round.close() == ["f001", "f002", "f003", "f004"])
        #expect(round.nextLaunch(now: now, limit: 2, current: { id in feeds.first { $0.id == id } }, abandoned: &abandoned) == nil)
        #expect(round.marked == 1 && !round.isDone)
        round.prepared(
            PreparedPoll(
                feed: first.feed, now: now, logger: .quiet,
                stage: .finished(FeedPollReport(feed: first.feed, outcome: .fetched, record: StoredFeedState(feedID: "f000", url: "")))),
            at: first.position)
        #expect(round.takeChunk()?.map(\.feed.id) == ["f000"])
        round.delivered(1)
        #expect(round.isDone && round.marked == 0)
    }
}
