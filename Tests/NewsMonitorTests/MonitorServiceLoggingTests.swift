import Dedup
import Foundation
import Logging
import NewsModel
import NewsTestSupport
import Synchronization
import Testing

@testable import NewsMonitor

/// Log lines as (level, message, metadata), recorded in memory.
final class RecordingLogHandler: LogHandler, Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])
    var all: [Entry] { entries.withLock { $0 } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).mapValues { "\($0)" }
        entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: metadata)) }
    }

    var logger: Logger { Logger(label: "test") { _ in self } }
}

/// What the scheduler says in its log: pruning at start, one summary per poll cycle, reloads.
@Suite struct MonitorServiceLoggingTests {
    @Test(.timeLimit(.minutes(1)))
    func prunesAtStartAndSummarizesEachCycleAtInfoOnATerminal() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = RecordingLogHandler()
        let fetcher = ScriptedFetcher()
        let feeds = [FeedSource(id: "a", url: "file:///a.xml", interval: .seconds(60))]
        let tests = MonitorServiceTests()
        let h = try tests.makeHarness(
            feeds: feeds, store: try DedupStore.inMemory(), fetcher: fetcher, spool: dir, logger: log.logger,
            logsCycleSummary: true)
        try await tests.running(h) {
            #expect(await h.settle(cycles: 1))
            let messages = log.all.map(\.message)
            #expect(messages.firstIndex(of: "state pruned").map { $0 < (messages.firstIndex(of: "poll cycle done") ?? 0) } == true)
            let summary = try #require(log.all.first { $0.message == "poll cycle done" })
            #expect(summary.level == .info)
            #expect(summary.metadata["cycle.polled"] == "1")
            #expect(summary.metadata["cycle.failed"] == "0")  // the scripted fetcher answers 304
            #expect(summary.metadata["monitor.feeds"] == "1")
            #expect(summary.metadata["monitor.next_poll_in"] != nil)

            let topics = [TopicDefinition(id: "t", title: "T", rule: "nato")]
            h.service.apply(MonitorRuntime(configuration: MonitorConfiguration(feeds: feeds, topics: topics), match: { _ in [] }))
            #expect(await eventually { log.all.contains { $0.message == "configuration applied" } })
            let applied = try #require(log.all.first { $0.message == "configuration applied" })
            #expect(applied.metadata["monitor.feeds"] == "1")
            #expect(applied.metadata["monitor.topics"] == "1")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theCycleSummaryIsDebugWhenNotOnATerminal() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = RecordingLogHandler()
        let tests = MonitorServiceTests()
        let h = try tests.makeHarness(
            feeds: [FeedSource(id: "a", url: "file:///a.xml")], store: try DedupStore.inMemory(), fetcher: ScriptedFetcher(),
            spool: dir, logger: log.logger)
        try await tests.running(h) {
            #expect(await h.settle(cycles: 1))
            #expect(log.all.first { $0.message == "poll cycle done" }?.level == .debug)
        }
    }
}
