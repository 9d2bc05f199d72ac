import Dedup
import Fetching
import Foundation
import Logging
import NewsModel
import NewsTestSupport
import Spool
import Synchronization
import Testing
import TopicRules

@testable import NewsMonitor

/// The pipeline with the real parser, the real SQLite store and the real spool; the fetcher
/// serves documents from memory and the matcher looks for a word, so these tests do not depend
/// on the shipped rules.
@Suite struct FeedPipelineTests {
    static func rss(_ items: [(guid: String, title: String)], pubDate: String = RFC822.now) -> [UInt8] {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>"#
        for item in items {
            xml += "<item><title>\(item.title)</title><link>https://news.example.org/\(item.guid).html</link>"
            xml += "<guid isPermaLink=\"false\">\(item.guid)</guid><pubDate>\(pubDate)</pubDate>"
            xml += "<description>Bericht über \(item.title)</description></item>"
        }
        return Array((xml + "</channel></rss>").utf8)
    }

    enum RFC822 {
        static var now: String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            return f.string(from: Date())
        }
    }

    /// "rat" in a title → topic council; "aufmarsch" → topic buildup.
    static let runtime = MonitorRuntime(
        configuration: MonitorConfiguration(
            feeds: [FeedSource(id: "demo", url: "https://news.example.org/feed.xml")],
            topics: [
                TopicDefinition(id: "council", title: "Council", rule: "rat"),
                TopicDefinition(id: "buildup", title: "Buildup", rule: "aufmarsch"),
            ]),
        match: { text in
            var matches: [TopicMatch] = []
            let title = text.title.lowercased()
            if title.contains("rat") {
                matches.append(TopicMatch(topicID: "council", evidence: [MatchEvidence(term: "rat", field: "title", text: "Rat")]))
            }
            if title.contains("aufmarsch") {
                matches.append(TopicMatch(topicID: "buildup", evidence: []))
            }
            return matches
        })

    struct Fixture {
        let dir: TemporaryDirectory
        let store: DedupStore
        let lines: Lines
        let body: Body

        init() throws {
            dir = try TemporaryDirectory()
            store = try StateDirectory(path: dir.path + "/state").openStore()
            lines = Lines()
            body = Body()
        }

        func pipeline(failBeforeCommit: Bool = false) throws -> FeedPipeline {
            let body = self.body
            let fetcher = ScriptedFetcher { .content($0, body.withLock { $0 }, etag: "\"v1\"") }
            let store: any StoryStore = failBeforeCommit ? CrashingStore(inner: self.store) : self.store
            return FeedPipeline(
                store: store, fetcher: fetcher, spool: try SpoolWriter(directory: dir.path + "/spool"),
                output: StandardOutputSink(format: .json, writeLine: lines.append))
        }

        func spoolIDs() throws -> [String] {
            try SpoolReader(directory: dir.path + "/spool").alerts().map(\.id)
        }
    }

    @Test func eachMatchedItemAlertsOncePerTopicInSpoolAndOnStdout() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let feed = Self.runtime.configuration.feeds[0]
        f.body.withLock { $0 = Self.rss([("a", "Nato-Russland-Rat tagt"), ("b", "Radweg beschlossen"), ("c", "Rat warnt vor Truppenaufmarsch")]) }
        let report = try await f.pipeline().poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet)
        #expect(report.outcome == .fetched)
        #expect(report.alerts == 3)  // a: council; c: council + buildup
        #expect(report.items == 3)
        #expect(report.record.etag == "\"v1\"")
        #expect(try f.spoolIDs().count == 3)
        #expect(f.lines.all.count == 3)
        let printed = try f.lines.all.map { try AlertCoding.decode(Data($0.utf8)) }
        #expect(Set(printed.map(\.id)) == Set(try f.spoolIDs()))
        #expect(printed.first { $0.topic == "council" }?.why == [MatchEvidence(term: "rat", field: "title", text: "Rat")])

        // The next poll sees one more item: only it alerts.
        f.body.withLock { $0 = Self.rss([("a", "Nato-Russland-Rat tagt"), ("b", "Radweg beschlossen"), ("c", "Rat warnt vor Truppenaufmarsch"), ("d", "Aufmarsch an der Grenze")]) }
        let second = try await f.pipeline().poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet)
        #expect(second.alerts == 1)
        #expect(try f.spoolIDs().count == 4)
        #expect(f.lines.all.count == 4)
    }

    @Test func aCrashBetweenSpoolAndCommitNeitherLosesNorRepeatsAlerts() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let feed = Self.runtime.configuration.feeds[0]
        f.body.withLock { $0 = Self.rss([("a", "Nato-Russland-Rat tagt"), ("c", "Rat warnt vor Truppenaufmarsch")]) }
        let crashed = try await f.pipeline(failBeforeCommit: true).poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet)
        #expect(crashed.outcome == .deferred)  // not the feed's fault: no backoff
        #expect(crashed.alerts == 3 && crashed.problem?.component == .stateStore)
        let afterCrash = try f.spoolIDs()
        #expect(afterCrash.count == 3)  // durable before the state knew
        #expect(f.lines.all.count == 3)
        // "Restart": the same document again. Same alert ids, already in the spool: nothing new anywhere.
        let again = try await f.pipeline().poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet)
        #expect(again.outcome == .fetched)
        #expect(again.alerts == 0)
        #expect(try f.spoolIDs() == afterCrash)
        #expect(f.lines.all.count == 3)
        // And now it is committed: a third poll plans nothing.
        let plan = try f.store.plan(feed: feed, entries: [], topics: [], now: Date())
        #expect(plan.alerts.isEmpty)
    }

    @Test func feedsCarryingTheSameStoryAtTheSameMomentRaiseItOnce() async throws {
        for _ in 0..<3 {
            let f = try Fixture()
            defer { f.dir.remove() }
            // Six outlets, six URLs, one story (same wording): only the text fingerprint joins them,
            // and only if each plan sees the stories the others committed.
            let fetcher = ScriptedFetcher { request in
                .content(request, Self.rss([("\(request.feedID)-story", "Rat warnt vor Truppenaufmarsch an der Grenze")]))
            }
            let pipeline = FeedPipeline(
                store: f.store, fetcher: fetcher, spool: try SpoolWriter(directory: f.dir.path + "/spool"),
                output: StandardOutputSink(format: .json, writeLine: f.lines.append))
            let feeds = (0..<6).map { FeedSource(id: "copy\($0)", url: "https://copy\($0).example.org/feed.xml") }
            let published = await withTaskGroup(of: Int.self) { group in
                for feed in feeds {
                    group.addTask { await pipeline.poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet).alerts }
                }
                return await group.reduce(0, +)
            }
            #expect(published == 2)  // one per topic, however the polls interleave
            #expect(try f.spoolIDs().count == 2)
            #expect(f.lines.all.count == 2)
        }
    }

    @Test func eachRecoveredDocumentCountsInTheFeedsState() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let feed = Self.runtime.configuration.feeds[0]
        let whole = Self.rss([("a", "Radweg beschlossen")])
        let truncated = Array(whole.prefix(whole.count - 20))
        for (body, recovered) in [(truncated, 1), (truncated, 2), (whole, 2)] {
            f.body.withLock { $0 = body }
            let report = try await f.pipeline().poll(feed: feed, runtime: Self.runtime, now: Date(), logger: .quiet)
            #expect(report.outcome == .fetched)
            #expect(report.record.recoveredDocuments == recovered)
            #expect((report.record.lastError?.contains("not well-formed, recovered") ?? false) == (body == truncated))
            try f.store.saveFeedState(report.record)  // as the schedule does
        }
    }

    @Test func anUnparsableBodyIsAFailureNamingTheFeedAndPosition() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        f.body.withLock { $0 = Array("<html><body>not a feed".utf8) }
        let report = try await f.pipeline().poll(feed: Self.runtime.configuration.feeds[0], runtime: Self.runtime, now: Date(), logger: .quiet)
        #expect(report.outcome == .failed(retryAfter: nil))
        let message = try #require(report.record.lastError)
        #expect(message.hasPrefix("demo: "))
        #expect(try f.spoolIDs().isEmpty)
    }
}

@Suite struct FeedPipelineStateTests {
    @Test func aPermanentRedirectIsRememberedAndPolledNextTimeWithTheValidators() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateDirectory(path: dir.path + "/state").openStore()
        let body = FeedPipelineTests.rss([("x", "Radweg")])
        let fetcher = ScriptedFetcher { request in
            request.url.absoluteString == "https://new.example.org/feed.xml"
                ? .answer(request, .notModified)
                : .answer(
                    request,
                    .content(body: body, charset: "utf-8", etag: "\"e1\"", lastModified: "Wed, 12 Jan 2022 10:00:00 GMT"),
                    status: 200, movedTo: "https://new.example.org/feed.xml")
        }
        let recording = RecordingFetcher(inner: fetcher)
        let pipeline = FeedPipeline(
            store: store, fetcher: recording, spool: try SpoolWriter(directory: dir.path + "/spool"),
            output: StandardOutputSink(format: .none))
        let feed = FeedSource(id: "moved", url: "https://old.example.org/feed.xml")
        let first = await pipeline.poll(feed: feed, runtime: FeedPipelineTests.runtime, now: Date(), logger: .quiet)
        try store.saveFeedState(first.record)
        #expect(first.record.movedToURL == "https://new.example.org/feed.xml")
        let second = await pipeline.poll(feed: feed, runtime: FeedPipelineTests.runtime, now: Date(), logger: .quiet)
        #expect(second.outcome == .fetched)
        #expect(second.record.lastStatus == 304)
        let sent = recording.requests.withLock { $0 }
        #expect(sent.map(\.url.absoluteString) == ["https://old.example.org/feed.xml", "https://new.example.org/feed.xml"])
        #expect(sent[1].etag == "\"e1\"" && sent[1].lastModified == "Wed, 12 Jan 2022 10:00:00 GMT")

        // feeds.conf now names another URL: redirect and validators of the old one are forgotten.
        try store.saveFeedState(second.record)
        let changed = FeedSource(id: "moved", url: "https://other.example.org/rss")
        _ = await pipeline.poll(feed: changed, runtime: FeedPipelineTests.runtime, now: Date(), logger: .quiet)
        let third = recording.requests.withLock { $0 }[2]
        #expect(third.url.absoluteString == "https://other.example.org/rss" && third.etag == nil)
    }

    @Test func aPermanentRedirectAnsweredWith304IsRememberedToo() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateDirectory(path: dir.path + "/state").openStore()
        let fetcher = ScriptedFetcher { .answer($0, .notModified, movedTo: "https://new.example.org/feed.xml") }
        let pipeline = FeedPipeline(
            store: store, fetcher: fetcher, spool: try SpoolWriter(directory: dir.path + "/spool"),
            output: StandardOutputSink(format: .none))
        let feed = FeedSource(id: "moved", url: "https://old.example.org/feed.xml")
        let report = await pipeline.poll(feed: feed, runtime: FeedPipelineTests.runtime, now: Date(), logger: .quiet)
        #expect(report.outcome == .fetched)
        #expect(report.record.lastStatus == 304)
        #expect(report.record.movedToURL == "https://new.example.org/feed.xml")
    }

    @Test func rateLimitingCarriesRetryAfterIntoTheBackoff() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateDirectory(path: dir.path + "/state").openStore()
        let fetcher = ScriptedFetcher {
            .answer($0, .rateLimited(status: 429, retryAfter: .seconds(5400)), status: 429)
        }
        let pipeline = FeedPipeline(
            store: store, fetcher: fetcher, spool: try SpoolWriter(directory: dir.path + "/spool"),
            output: StandardOutputSink(format: .none))
        let report = await pipeline.poll(
            feed: FeedSource(id: "busy", url: "https://busy.example.org/feed"), runtime: FeedPipelineTests.runtime,
            now: Date(), logger: .quiet)
        #expect(report.outcome == .failed(retryAfter: .seconds(5400)))
        #expect(report.record.lastStatus == 429)
        #expect(report.record.lastError == "busy: HTTP 429, rate limited")
    }
}

/// Records every request before passing it on.
final class RecordingFetcher: FeedFetcher {
    let inner: ScriptedFetcher
    let requests = Mutex<[FetchRequest]>([])
    init(inner: ScriptedFetcher) { self.inner = inner }
    func fetch(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        requests.withLock { $0.append(request) }
        return await inner.fetch(request, logger: logger)
    }
}

/// A real store whose commit fails, like a process killed right after the spool write.
final class CrashingStore: StoryStore {
    let inner: DedupStore
    init(inner: DedupStore) { self.inner = inner }
    func feedState(id: String) throws(DedupError) -> StoredFeedState? { try inner.feedState(id: id) }
    func saveFeedState(_ state: StoredFeedState) throws(DedupError) { try inner.saveFeedState(state) }
    func allFeedStates() throws(DedupError) -> [StoredFeedState] { try inner.allFeedStates() }
    func plan(batch documents: [DedupStore.Document], now: Date) throws(DedupError) -> [DedupPlan] {
        try inner.plan(batch: documents, now: now)
    }
    func commit(_ plans: [DedupPlan]) throws(DedupError) { throw DedupError(code: .sqlite, message: "killed before commit") }
    func prune(now: Date) throws(DedupError) -> PruneResult { try inner.prune(now: now) }
    func uncommittedAlertIDs(_ ids: [String]) throws(DedupError) -> [String] { try inner.uncommittedAlertIDs(ids) }
    func registerTopics(_ ids: [String], now: Date) throws(DedupError) -> [String] { try inner.registerTopics(ids, now: now) }
    func recover(_ alerts: [RecoveredAlert], now: Date) throws(DedupError) -> Int { try inner.recover(alerts, now: now) }
}

final class Body: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func withLock<T>(_ body: (inout [UInt8]) -> T) -> T { bytes.withLock { body(&$0) } }
}

final class Lines: Sendable {
    private let stored = Mutex<[String]>([])
    var all: [String] { stored.withLock { $0 } }
    @Sendable func append(_ line: String) throws(SpoolError) { stored.withLock { $0.append(line) } }
}
