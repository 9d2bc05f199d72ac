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

/// A real store whose commits fail while `failsCommits` is set (a full disk, a read-only file).
final class FailingCommitStore: StoryStore {
    let inner: DedupStore
    let failsCommits = Mutex(true)
    let plans = Mutex(0)
    init(inner: DedupStore) { self.inner = inner }
    func feedState(id: String) throws(DedupError) -> StoredFeedState? { try inner.feedState(id: id) }
    func saveFeedState(_ state: StoredFeedState) throws(DedupError) { try inner.saveFeedState(state) }
    func allFeedStates() throws(DedupError) -> [StoredFeedState] { try inner.allFeedStates() }
    func plan(batch documents: [DedupStore.Document], now: Date) throws(DedupError) -> [DedupPlan] {
        plans.withLock { $0 += 1 }
        return try inner.plan(batch: documents, now: now)
    }
    func commit(_ plans: [DedupPlan]) throws(DedupError) {
        if failsCommits.withLock({ $0 }) {
            throw DedupError(code: .sqlite, message: "attempt to write a readonly database", sqliteCode: 8, path: "state.sqlite")
        }
        try inner.commit(plans)
    }
    func prune(now: Date) throws(DedupError) -> PruneResult { try inner.prune(now: now) }
    func uncommittedAlertIDs(_ ids: [String]) throws(DedupError) -> [String] { try inner.uncommittedAlertIDs(ids) }
    func registerTopics(_ ids: [String], now: Date) throws(DedupError) -> [String] { try inner.registerTopics(ids, now: now) }
    func recover(_ alerts: [RecoveredAlert], now: Date) throws(DedupError) -> Int {
        if failsCommits.withLock({ $0 }) {
            throw DedupError(code: .sqlite, message: "attempt to write a readonly database", sqliteCode: 8, path: "state.sqlite")
        }
        return try inner.recover(alerts, now: now)
    }
}

/// State store and spool failures: never a second alert for a story and topic, never the feed's fault.
@Suite struct DeliveryFaultTests {
    /// Two outlets, one story (same wording, their own links): whoever plans second must see the first's commit.
    static let sameStory = "Rat warnt vor Truppenaufmarsch an der Grenze"

    func pipeline(_ store: any StoryStore, _ dir: TemporaryDirectory, lines: Lines) throws -> FeedPipeline {
        let fetcher = ScriptedFetcher { request in
            .content(request, FeedPipelineTests.rss([("\(request.feedID)-story", Self.sameStory)]), etag: "\"new\"")
        }
        return FeedPipeline(
            store: store, fetcher: fetcher, spool: try SpoolWriter(directory: dir.path + "/spool"),
            output: StandardOutputSink(format: .json, writeLine: lines.append))
    }

    @Test func aStoreThatCannotCommitNeverLeadsToASecondAlertOnceItCan() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = FailingCommitStore(inner: try StateDirectory(path: dir.path + "/state").openStore())
        let lines = Lines()
        let pipeline = try pipeline(store, dir, lines: lines)
        let (a, b) = (FeedSource(id: "a", url: "https://a.example.org/feed"), FeedSource(id: "b", url: "https://b.example.org/feed"))
        let runtime = FeedPipelineTests.runtime
        let spool = { try SpoolReader(directory: dir.path + "/spool").alerts() }

        // The alerts reach the spool and stdout; the commit fails: the daemon's problem, not feed a's.
        let first = await pipeline.poll(feed: a, runtime: runtime, now: Date(), logger: .quiet)
        #expect(first.outcome == .deferred && first.alerts == 2)
        #expect(first.record.lastError == nil && first.record.etag == nil)
        #expect(first.problem?.component == .stateStore)
        #expect(first.problem?.description.contains("readonly database") == true)
        #expect(try spool().count == 2 && lines.all.count == 2)

        // While the commit keeps failing, nothing else is planned: b's copy waits.
        let blocked = await pipeline.poll(feed: b, runtime: runtime, now: Date(), logger: .quiet)
        #expect(blocked.outcome == .deferred && blocked.alerts == 0)
        #expect(store.plans.withLock { $0 } == 1)
        #expect(pipeline.problem != nil)

        // The disk is back: a's plan is committed first, so b's copy is an `also_in`, not a new story.
        store.failsCommits.withLock { $0 = false }
        let resumed = await pipeline.poll(feed: b, runtime: runtime, now: Date(), logger: .quiet)
        #expect(resumed.outcome == .fetched && resumed.alerts == 0 && resumed.problem == nil)
        #expect(resumed.record.etag == "\"new\"")
        #expect(pipeline.problem == nil)
        let again = await pipeline.poll(feed: a, runtime: runtime, now: Date(), logger: .quiet)
        #expect(again.alerts == 0)
        let alerts = try spool()
        #expect(alerts.count == 2 && lines.all.count == 2)
        #expect(try alerts.allSatisfy { try store.inner.alert(id: $0.id)?.alsoIn == ["b"] })
    }

    /// A process dies between the spool and the commit (here: every commit fails), and the next process
    /// meets the story first in another feed, under another link: without the spool reconciled into the
    /// store, that feed would found a new story and raise the same story's alerts again.
    @Test func alertsLeftInTheSpoolByAnEarlierProcessAreNotRaisedAgainByAnotherFeed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, b) = (FeedSource(id: "a", url: "https://a.example.org/feed"), FeedSource(id: "b", url: "https://b.example.org/feed"))
        let runtime = FeedPipelineTests.runtime
        do {
            let crashing = CrashingStore(inner: try StateDirectory(path: dir.path + "/state").openStore())
            let first = try await pipeline(crashing, dir, lines: Lines()).poll(feed: a, runtime: runtime, now: Date(), logger: .quiet)
            #expect(first.outcome == .deferred && first.alerts == 2)
            crashing.inner.close()
        }
        let spooled = try SpoolReader(directory: dir.path + "/spool").alerts()
        #expect(spooled.count == 2)

        // The next process: the store has none of it until the spool is reconciled.
        let store = try StateDirectory(path: dir.path + "/state").openStore()
        #expect(try store.uncommittedAlertIDs(spooled.map(\.id)).count == 2)
        let options = MonitorOptions(configurationPath: "feeds.conf", stateDirectory: dir.path + "/state", spoolDirectory: dir.path + "/spool", output: .none)
        let fetcher = ScriptedFetcher { request in
            .content(request, FeedPipelineTests.rss([("\(request.feedID)-story", Self.sameStory)]), etag: "\"new\"")
        }
        let lines = Lines()
        let monitor = try makeMonitor(
            runtime: runtime, options: options, store: store, fetcher: fetcher,
            output: StandardOutputSink(format: .json, writeLine: lines.append), logger: .quiet)
        #expect(try store.uncommittedAlertIDs(spooled.map(\.id)).isEmpty, "recorded from the spool")
        let copy = await monitor.pipeline.poll(feed: b, runtime: runtime, now: Date(), logger: .quiet)
        #expect(copy.outcome == .fetched && copy.alerts == 0, "b's copy joins the recovered story")
        #expect(lines.all.isEmpty)
        #expect(try SpoolReader(directory: dir.path + "/spool").alerts().count == 2)
        let explained = try #require(try store.explain(feedID: "a", item: "a-story"))
        #expect(explained.item.joined == "recovered from the spool")
    }

    /// Also with the spool written alongside the store's writes (`newsmon once` of many chunks): the store's
    /// transaction, written meanwhile, is rolled back.
    @Test(arguments: [false, true])
    func aSpoolThatCannotBeWrittenIsTheDaemonsProblemAndPollingResumesWithIt(spoolsAlongside: Bool) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateDirectory(path: dir.path + "/state").openStore()
        let lines = Lines()
        let pipeline = try pipeline(store, dir, lines: lines)
        let feed = FeedSource(id: "a", url: "https://a.example.org/feed")
        // `new/` is not a directory (as root, permissions would not stop the write).
        let new = dir.path + "/spool/new"
        try FileManager.default.removeItem(atPath: new)
        _ = FileManager.default.createFile(atPath: new, contents: Data())

        func poll() async -> FeedPollReport {
            let prepared = await pipeline.prepare(feed: feed, runtime: FeedPipelineTests.runtime, now: Date(), logger: .quiet)
            return pipeline.deliver(batch: [prepared], spoolsAlongside: spoolsAlongside)[0]
        }
        let failed = await poll()
        #expect(failed.outcome == .deferred && failed.alerts == 0)
        #expect(failed.problem?.component == .spool)
        #expect(failed.record.lastError == nil)
        #expect(lines.all.isEmpty)
        // The store wrote the plan while the spool failed (FeedPipeline.publish): none of it is recorded.
        let abandoned = try store.statistics()
        #expect(abandoned.alerts == 0 && abandoned.seenItems == 0 && abandoned.stories == 0)

        try FileManager.default.removeItem(atPath: new)
        try FileManager.default.createDirectory(atPath: new, withIntermediateDirectories: false)
        let resumed = await poll()
        #expect(resumed.outcome == .fetched && resumed.alerts == 2 && resumed.problem == nil)
        #expect(try SpoolReader(directory: dir.path + "/spool").alerts().count == 2 && lines.all.count == 2)
        #expect(try store.statistics().alerts == 2)
    }
}
