import Foundation
import Dedup
import Logging
import NewsModel
import NewsTestSupport
import ServiceLifecycle
import Spool
import Synchronization
import Testing

@testable import NewsMonitor

@Suite struct MonitorServiceTests {
    func makeService(
        feeds: [FeedSource], store: MemoryStore, fetcher: ScriptedFetcher, notifier: RecordingNotifier,
        spool: TemporaryDirectory, watchdog: Duration? = nil
    ) throws -> MonitorService {
        let runtime = MonitorRuntime(configuration: MonitorConfiguration(feeds: feeds), match: { _ in [] })
        let options = MonitorOptions(
            configurationPath: "feeds.conf", stateDirectory: spool.path, startupSpread: .zero,
            watchdogInterval: watchdog)
        let pipeline = FeedPipeline(
            store: store, fetcher: fetcher, spool: try SpoolWriter(directory: spool.path + "/spool"),
            output: StandardOutputSink(format: .none))
        return MonitorService(pipeline: pipeline, runtime: runtime, options: options, notifier: notifier, logger: .quiet)
    }

    /// Runs `service` in a group for `seconds`, then shuts it down gracefully.
    func run(_ service: MonitorService, for seconds: Double) async throws {
        let group = ServiceGroup(services: [service], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func pollsEachFeedAtItsIntervalAndPersistsTheNextDueTime() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = MemoryStore()
        let fetcher = ScriptedFetcher()
        let notifier = RecordingNotifier()
        let feeds = [
            FeedSource(id: "fast", url: "file:///fast.xml", interval: .milliseconds(300)),
            FeedSource(id: "slow", url: "file:///slow.xml", interval: .seconds(3600)),
            FeedSource(id: "off", url: "file:///off.xml", interval: .milliseconds(100), isEnabled: false),
        ]
        let service = try makeService(feeds: feeds, store: store, fetcher: fetcher, notifier: notifier, spool: dir)
        try await run(service, for: 1.6)
        // 0, ~0.3, ~0.6, ~0.9, ~1.2, ~1.5 s with up to 10 % jitter: 4 to 6 polls, not a busy loop.
        #expect((4...6).contains(fetcher.count("fast")))
        #expect(fetcher.count("slow") == 1)
        #expect(fetcher.count("off") == 0)
        let slow = try #require(try store.feedState(id: "slow"))
        #expect(slow.lastStatus == 304)
        #expect(slow.nextDue! > Date().addingTimeInterval(3500))
        #expect(notifier.all.contains("STATUS=2 feeds, 0 alerts, 0 failing"))
        #expect(notifier.all.last == "STOPPING=1")
    }

    @Test(.timeLimit(.minutes(1)))
    func neverRunsMoreThanMaxInFlightPollsAtOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = ScriptedFetcher(delay: .milliseconds(200))
        let feeds = (0..<20).map { FeedSource(id: "f\($0)", url: "file:///f\($0).xml", interval: .seconds(3600)) }
        let service = try makeService(feeds: feeds, store: MemoryStore(), fetcher: fetcher, notifier: RecordingNotifier(), spool: dir)
        try await run(service, for: 1.0)
        #expect(fetcher.concurrent.withLock { $0.peak } == 8)
        #expect(fetcher.calls.withLock { $0.count } == 20)
    }

    @Test(.timeLimit(.minutes(1)))
    func failingFeedsBackOffAndAreCountedInTheStatus() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = MemoryStore()
        let fetcher = ScriptedFetcher { request in
            request.feed.id == "broken" ? .failed(message: "broken: connection refused", status: nil, retryAfter: nil) : .notModified
        }
        let notifier = RecordingNotifier()
        let feeds = [
            FeedSource(id: "ok", url: "file:///ok.xml", interval: .milliseconds(200)),
            FeedSource(id: "broken", url: "file:///broken.xml", interval: .milliseconds(200)),
        ]
        let service = try makeService(feeds: feeds, store: store, fetcher: fetcher, notifier: notifier, spool: dir)
        try await run(service, for: 1.0)
        // The broken feed waits at least a minute after its first failure.
        #expect(fetcher.count("broken") == 1)
        #expect(fetcher.count("ok") >= 3)
        let broken = try #require(try store.feedState(id: "broken"))
        #expect(broken.consecutiveErrors == 1)
        #expect(broken.lastError == "broken: connection refused")
        #expect(notifier.all.contains("STATUS=2 feeds, 0 alerts, 1 failing"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aRestartDoesNotPollFeedsThatAreNotDue() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = MemoryStore()
        let feeds = (0..<5).map { FeedSource(id: "f\($0)", url: "file:///f\($0).xml", interval: .seconds(3600)) }
        let first = ScriptedFetcher()
        try await run(try makeService(feeds: feeds, store: store, fetcher: first, notifier: RecordingNotifier(), spool: dir), for: 0.4)
        #expect(first.calls.withLock { $0.count } == 5)
        let second = ScriptedFetcher()
        try await run(try makeService(feeds: feeds, store: store, fetcher: second, notifier: RecordingNotifier(), spool: dir), for: 0.4)
        #expect(second.calls.withLock { $0.count } == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func sendsWatchdogPingsAtHalfTheIntervalFromTheSchedulerLoop() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let notifier = RecordingNotifier()
        let feeds = [FeedSource(id: "idle", url: "file:///idle.xml", interval: .seconds(3600))]
        let service = try makeService(
            feeds: feeds, store: MemoryStore(), fetcher: ScriptedFetcher(), notifier: notifier, spool: dir,
            watchdog: .milliseconds(400))
        try await run(service, for: 1.1)
        let pings = notifier.all.filter { $0 == "WATCHDOG=1" }.count
        #expect((4...6).contains(pings))
    }

    @Test(.timeLimit(.minutes(1)))
    func aReloadAddsAndRemovesFeeds() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fetcher = ScriptedFetcher()
        let before = [FeedSource(id: "old", url: "file:///old.xml", interval: .milliseconds(200))]
        let service = try makeService(feeds: before, store: MemoryStore(), fetcher: fetcher, notifier: RecordingNotifier(), spool: dir)
        let group = ServiceGroup(services: [service], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(500))
            let after = [FeedSource(id: "new", url: "file:///new.xml", interval: .milliseconds(200))]
            service.apply(MonitorRuntime(configuration: MonitorConfiguration(feeds: after), match: { _ in [] }))
            try await Task.sleep(for: .milliseconds(100))
            let oldCount = fetcher.count("old")
            try await Task.sleep(for: .milliseconds(500))
            #expect(fetcher.count("old") == oldCount)
            #expect(fetcher.count("new") >= 2)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
