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

/// The scheduler loop driven by a manual clock: time moves only when a test advances it.
@Suite struct MonitorServiceTests {
    struct Harness {
        let service: MonitorService
        let clock: ManualMonitorClock
        let notifier: RecordingNotifier

        var statuses: [String] { notifier.all.filter { $0.hasPrefix("STATUS=") } }

        /// Waits until `count` poll cycles have been reported and the loop sleeps again.
        func settle(cycles count: Int) async -> Bool {
            await eventually { statuses.count >= count && clock.sleeperCount == 1 }
        }

        /// Waits until the loop sleeps (nothing due).
        func idle() async -> Bool {
            await eventually { clock.sleeperCount == 1 }
        }
    }

    func makeHarness(
        feeds: [FeedSource], store: any StoryStore, fetcher: ScriptedFetcher, spool: TemporaryDirectory,
        clock: ManualMonitorClock = ManualMonitorClock(), watchdog: Duration? = nil, logger: Logger = .quiet,
        logsCycleSummary: Bool = false
    ) throws -> Harness {
        let runtime = MonitorRuntime(configuration: MonitorConfiguration(feeds: feeds), match: { _ in [] })
        let options = MonitorOptions(
            configurationPath: "feeds.conf", stateDirectory: spool.path, startupSpread: .zero,
            watchdogInterval: watchdog, logsCycleSummary: logsCycleSummary)
        let pipeline = FeedPipeline(
            store: store, fetcher: fetcher, spool: try SpoolWriter(directory: spool.path + "/spool"),
            output: StandardOutputSink(format: .none))
        let notifier = RecordingNotifier()
        let service = MonitorService(
            pipeline: pipeline, runtime: runtime, options: options, notifier: notifier, clock: clock, logger: logger)
        return Harness(service: service, clock: clock, notifier: notifier)
    }

    /// Runs the harness's service in a group during `body`, then shuts it down gracefully.
    func running(_ harness: Harness, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [harness.service], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func pollsEachFeedAtItsIntervalSleepsInBetweenAndPersistsTheNextDueTime() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try DedupStore.inMemory()
        let fetcher = ScriptedFetcher()
        let feeds = [
            FeedSource(id: "fast", url: "file:///fast.xml", interval: .seconds(60)),
            FeedSource(id: "slow", url: "file:///slow.xml", interval: .seconds(3600)),
            FeedSource(id: "off", url: "file:///off.xml", interval: .seconds(1), isEnabled: false),
        ]
        let h = try makeHarness(feeds: feeds, store: store, fetcher: fetcher, spool: dir)
        let start = h.clock.now()
        try await running(h) {
            #expect(await h.settle(cycles: 1))
            #expect(fetcher.count("fast") == 1 && fetcher.count("slow") == 1)
            for cycle in 2...5 {
                h.clock.advance(by: 66)  // interval plus the largest jitter
                #expect(await h.settle(cycles: cycle))
                #expect(fetcher.count("fast") == cycle)
            }
            // Asleep until the next due time: no poll happens while the clock stands still.
            try await Task.sleep(for: .milliseconds(200))
            #expect(fetcher.count("fast") == 5)
            #expect(fetcher.count("slow") == 1)
            #expect(fetcher.count("off") == 0)
        }
        let slow = try #require(try store.feedState(id: "slow"))
        #expect(slow.lastStatus == 304)
        #expect(slow.nextDue! >= start.addingTimeInterval(3600) && slow.nextDue! <= start.addingTimeInterval(3960))
        #expect(h.statuses.last == "STATUS=2 feeds, 0 alerts, 0 failing")
        #expect(h.notifier.all.last == "STOPPING=1")
    }

    @Test(.timeLimit(.minutes(1)))
    func neverRunsMoreThanMaxInFlightPollsAtOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = ScriptedFetcher(delay: .milliseconds(500))
        let feeds = (0..<20).map { FeedSource(id: "f\($0)", url: "file:///f\($0).xml", interval: .seconds(3600)) }
        let h = try makeHarness(feeds: feeds, store: try DedupStore.inMemory(), fetcher: fetcher, spool: dir)
        try await running(h) {
            #expect(await eventually { fetcher.calls.withLock { $0.count } == 20 })
            #expect(await h.settle(cycles: 1))
        }
        #expect(fetcher.concurrent.withLock { $0.peak } == 8)
    }

    @Test(.timeLimit(.minutes(1)))
    func failingFeedsBackOffAndAreCountedInTheStatus() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try DedupStore.inMemory()
        let fetcher = ScriptedFetcher { request in
            request.feedID == "broken"
                ? .answer(request, .failed(FetchError(code: .network, message: "connection refused", feedID: "broken")))
                : .answer(request, .notModified)
        }
        let feeds = [
            FeedSource(id: "ok", url: "file:///ok.xml", interval: .seconds(10)),
            FeedSource(id: "broken", url: "file:///broken.xml", interval: .seconds(10)),
        ]
        let h = try makeHarness(feeds: feeds, store: store, fetcher: fetcher, spool: dir)
        try await running(h) {
            #expect(await h.settle(cycles: 1))
            #expect(h.statuses.last == "STATUS=2 feeds, 0 alerts, 1 failing")
            for cycle in 2...4 {
                h.clock.advance(by: 11)
                #expect(await h.settle(cycles: cycle))
            }
            // The first retry waits max(interval, 1 … 2 min) (full jitter): not during the ok feed's next
            // three polls, and certainly within 2 minutes of the failure.
            #expect(fetcher.count("ok") == 4)
            #expect(fetcher.count("broken") == 1)
            h.clock.advance(by: 90)  // 123 s after the failure
            #expect(await eventually { fetcher.count("broken") == 2 })
            #expect(await h.idle())
        }
        let broken = try #require(try store.feedState(id: "broken"))
        #expect(broken.consecutiveErrors == 2)
        #expect(broken.lastError == "feed 'broken': connection refused")
    }

    @Test(.timeLimit(.minutes(1)))
    func aRestartDoesNotPollFeedsThatAreNotDue() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try DedupStore.inMemory()
        let feeds = (0..<5).map { FeedSource(id: "f\($0)", url: "file:///f\($0).xml", interval: .seconds(3600)) }
        let first = ScriptedFetcher()
        let before = try makeHarness(feeds: feeds, store: store, fetcher: first, spool: dir)
        try await running(before) { #expect(await before.settle(cycles: 1)) }
        #expect(first.calls.withLock { $0.count } == 5)

        let second = ScriptedFetcher()
        let clock = ManualMonitorClock(now: before.clock.now().addingTimeInterval(600))
        let after = try makeHarness(feeds: feeds, store: store, fetcher: second, spool: dir, clock: clock)
        try await running(after) {
            #expect(await after.idle())
            try await Task.sleep(for: .milliseconds(100))
            #expect(second.calls.withLock { $0.count } == 0)
            clock.advance(by: 3600)  // past every persisted due time (at most 3960 s after the first start)
            #expect(await eventually { second.calls.withLock { $0.count } == 5 })
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func sendsWatchdogPingsAtHalfTheIntervalFromTheSchedulerLoop() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let feeds = [FeedSource(id: "idle", url: "file:///idle.xml", interval: .seconds(3600))]
        let h = try makeHarness(
            feeds: feeds, store: try DedupStore.inMemory(), fetcher: ScriptedFetcher(), spool: dir, watchdog: .seconds(60))
        let pings = { h.notifier.all.filter { $0 == "WATCHDOG=1" }.count }
        try await running(h) {
            #expect(await h.settle(cycles: 1))
            #expect(pings() == 0)
            for n in 1...3 {
                h.clock.advance(by: 30)
                #expect(await eventually { pings() == n })
                #expect(await h.idle())
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(pings() == 3)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aStoreThatCannotCommitIsReportedInStatusWithoutBackoffAndClearsWhenItCan() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = FailingCommitStore(inner: try DedupStore.inMemory())
        let fetcher = ScriptedFetcher { .content($0, FeedPipelineTests.rss([("x", "Radweg")])) }
        let feeds = [FeedSource(id: "one", url: "https://one.example.org/feed", interval: .seconds(60))]
        let h = try makeHarness(feeds: feeds, store: store, fetcher: fetcher, spool: dir)
        let problemFile = dir.path + "/problem"
        try await running(h) {
            #expect(await eventually { h.statuses.contains { $0.contains("; not recording: state store: cannot commit") } })
            #expect(await eventually { FileManager.default.fileExists(atPath: problemFile) })
            #expect(StateDirectory(path: dir.path).savedProblem()?.contains("readonly database") == true)
            #expect(await h.idle())
            // Not the feed's fault: no error counted, polled again at its interval (not a backoff).
            let errors = try store.inner.feedState(id: "one")?.consecutiveErrors
            #expect(errors == 0)
            store.failsCommits.withLock { $0 = false }
            h.clock.advance(by: 66)
            #expect(await eventually { h.statuses.last == "STATUS=1 feeds, 0 alerts, 0 failing" })
            #expect(fetcher.count("one") == 2)
            #expect(!FileManager.default.fileExists(atPath: problemFile))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aReloadAddsAndRemovesFeeds() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = ScriptedFetcher()
        let before = [FeedSource(id: "old", url: "file:///old.xml", interval: .seconds(10))]
        let h = try makeHarness(feeds: before, store: try DedupStore.inMemory(), fetcher: fetcher, spool: dir)
        try await running(h) {
            #expect(await h.settle(cycles: 1))
            let after = [FeedSource(id: "new", url: "file:///new.xml", interval: .seconds(10))]
            h.service.apply(MonitorRuntime(configuration: MonitorConfiguration(feeds: after), match: { _ in [] }))
            #expect(await h.settle(cycles: 2))
            h.clock.advance(by: 11)
            #expect(await h.settle(cycles: 3))
            #expect(fetcher.count("old") == 1)
            #expect(fetcher.count("new") == 2)
            #expect(h.statuses.last == "STATUS=1 feeds, 0 alerts, 0 failing")
        }
    }
}
