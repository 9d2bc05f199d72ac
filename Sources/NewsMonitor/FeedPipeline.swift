public import Dedup
public import FeedParsing
public import Fetching
public import Foundation
public import Logging
public import NewsModel
public import Spool
import Synchronization
import TopicRules

/// The result of polling one feed once.
public struct FeedPollReport: Sendable {
    public var feed: FeedSource
    /// For the state machine.
    public var outcome: FeedStateMachine.Outcome
    /// The updated record (the caller fills in the schedule fields and saves it).
    public var record: StoredFeedState
    /// Alerts newly published to the spool.
    public var alerts: Int
    /// Entries in the document (0 for 304 and failures).
    public var items: Int
}

/// fetch → parse → match → dedup plan → spool (then stdout) → commit, for one feed.
public struct FeedPipeline: Sendable {
    public let store: any StoryStore
    public let fetcher: any FeedFetcher
    public let spool: SpoolWriter
    /// Printed after the spool accepted a new alert (stdout).
    public let output: any AlertSink
    public let parser: FeedParser
    /// Serializes plan → spool → commit across feeds: two feeds carrying the same story at the same
    /// moment must not both plan it before either has committed.
    private let dedupSection = DedupSection()

    public init(
        store: any StoryStore, fetcher: any FeedFetcher, spool: SpoolWriter, output: any AlertSink,
        parser: FeedParser = FeedParser()
    ) {
        self.store = store
        self.fetcher = fetcher
        self.spool = spool
        self.output = output
        self.parser = parser
    }

    /// Polls `feed` once. Never throws: every failure ends up in the report and the record.
    public func poll(feed: FeedSource, runtime: MonitorRuntime, now: Date, logger: Logger) async -> FeedPollReport {
        var logger = logger
        logger[metadataKey: "feed.id"] = "\(feed.id)"
        var record: StoredFeedState
        do {
            record = try store.feedState(id: feed.id) ?? StoredFeedState(feedID: feed.id, url: feed.url)
        } catch {
            logger.error("cannot read feed state", metadata: ["error": "\(error)"])
            return report(feed, StoredFeedState(feedID: feed.id, url: feed.url), failure: "state: \(error)", logger: logger)
        }
        if record.url != feed.url {
            // feeds.conf now names another URL: forget redirects and validators of the old one.
            record = StoredFeedState(feedID: feed.id, url: feed.url, nextDue: record.nextDue)
        }
        record.lastAttempt = now
        let url = record.movedToURL ?? feed.url
        logger[metadataKey: "feed.url"] = "\(url)"
        guard
            let target = URL(string: url),
            let request = FetchRequest(source: feed, url: target, etag: record.etag, lastModified: record.lastModified)
        else {
            return report(feed, record, failure: "\(feed.id): invalid URL \(url)", logger: logger)
        }
        let result = await fetcher.fetch(request, logger: logger)
        let redirect = result.permanentRedirect?.absoluteString
        switch result.outcome {
        case .notModified:
            record.lastStatus = 304
            Self.recordMove(to: redirect, in: &record, logger: logger)
            return success(feed, record, now: now, alerts: 0, items: 0, logger: logger)
        case .gone(let status):
            record.lastStatus = status
            record.lastError = "\(feed.id): HTTP \(status), the feed is gone; probing slowly"
            logger.warning("feed gone", metadata: ["http.status": "\(status)"])
            return FeedPollReport(feed: feed, outcome: .gone, record: record, alerts: 0, items: 0)
        case .rateLimited(let status, let retryAfter):
            record.lastStatus = status
            return report(
                feed, record, failure: "\(feed.id): HTTP \(status), rate limited", retryAfter: retryAfter, logger: logger)
        case .failed(let error):
            record.lastStatus = result.status ?? error.status
            return report(feed, record, failure: "\(error)", logger: logger)
        case .content(let body, let charset, let etag, let lastModified):
            record.lastStatus = result.status
            Self.recordMove(to: redirect, in: &record, logger: logger)
            let document: FeedDocument
            do {
                document = try parser.parse(body, url: url, charset: charset, timeZone: feed.timeZone)
            } catch {
                return report(feed, record, failure: "\(feed.id): \(error)", logger: logger)
            }
            let published: Int
            do {
                published = try dedupSection.run {
                    try raiseAlerts(feed: feed, url: url, document: document, runtime: runtime, now: now, logger: logger)
                }
            } catch {
                return report(feed, record, failure: "\(feed.id): \(error)", logger: logger)
            }
            record.etag = etag
            record.lastModified = lastModified
            record.lastItemCount = document.entries.count
            return success(feed, record, now: now, alerts: published, items: document.entries.count, logger: logger)
        }
    }

    /// Remembers a permanent redirect (301/308) as the feed's new URL in state; feeds.conf is never rewritten.
    static func recordMove(to redirect: String?, in record: inout StoredFeedState, logger: Logger) {
        guard let redirect, redirect != record.movedToURL else { return }
        record.movedToURL = redirect
        logger.notice("feed moved permanently", metadata: ["feed.moved_to": "\(redirect)"])
    }

    /// Matches, plans, publishes and commits; returns the number of alerts newly published.
    private func raiseAlerts(
        feed: FeedSource, url: String, document: FeedDocument, runtime: MonitorRuntime, now: Date, logger: Logger
    ) throws -> Int {
        let matches = document.entries.map { runtime.match($0.text) }
        let plan = try store.plan(
            feed: feed, entries: document.entries, topics: matches.map { $0.map(\.topicID) }, now: now)
        var published = 0
        for planned in plan.alerts {
            guard document.entries.indices.contains(planned.entryIndex) else { continue }
            let entry = document.entries[planned.entryIndex]
            let evidence = matches[planned.entryIndex].first { $0.topicID == planned.topic }?.evidence ?? []
            let itemID = plan.items.indices.contains(planned.entryIndex)
                ? plan.items[planned.entryIndex].identity.key : planned.storyKey
            let alert = Self.makeAlert(
                planned, itemID: itemID, entry: entry, feed: feed, url: url, topic: runtime.topics[planned.topic],
                evidence: evidence, now: now)
            // Durable in the spool first; a crash before commit re-plans the same id, which the spool skips.
            guard case .written(let name) = try spool.write(alert) else { continue }
            published += 1
            logger.info(
                "alert raised",
                metadata: ["alert.id": "\(alert.id)", "alert.topic": "\(alert.topic)", "spool.file": "\(name)"])
            do {
                try output.deliver(alert)
            } catch {
                logger.warning("cannot print alert", metadata: ["alert.id": "\(alert.id)", "error": "\(error)"])
            }
        }
        try store.commit(plan)
        return published
    }

    static func makeAlert(
        _ planned: DedupPlan.Alert, itemID: String, entry: FeedEntry, feed: FeedSource, url: String, topic: TopicDefinition?,
        evidence: [MatchEvidence], now: Date
    ) -> Alert {
        let title = entry.text.title.isEmpty ? (entry.title ?? "") : entry.text.title
        let summary = entry.text.summary.isEmpty ? entry.text.content : entry.text.summary
        return Alert(
            id: planned.id,
            topic: planned.topic,
            topicTitle: topic?.title ?? planned.topic,
            detectedAt: now,
            feed: feed.id,
            feedURL: url,
            item: AlertItem(
                title: title, link: entry.link, id: itemID, published: entry.published ?? entry.updated,
                summary: String(summary.prefix(AlertCoding.maximumSummaryLength))),
            why: evidence,
            story: planned.storyKey,
            alsoIn: []
        )
    }

    private func success(
        _ feed: FeedSource, _ record: StoredFeedState, now: Date, alerts: Int, items: Int, logger: Logger
    ) -> FeedPollReport {
        var record = record
        record.lastSuccess = now
        record.lastError = nil
        record.goneSince = nil
        logger.debug(
            "feed polled",
            metadata: ["http.status": "\(record.lastStatus.map(String.init) ?? "-")", "feed.items": "\(items)",
                "feed.alerts": "\(alerts)"])
        return FeedPollReport(feed: feed, outcome: .fetched, record: record, alerts: alerts, items: items)
    }

    private func report(
        _ feed: FeedSource, _ record: StoredFeedState, failure: String, retryAfter: Duration? = nil, logger: Logger
    ) -> FeedPollReport {
        var record = record
        record.lastError = failure
        logger.warning("feed poll failed", metadata: ["error": "\(failure)"])
        return FeedPollReport(feed: feed, outcome: .failed(retryAfter: retryAfter), record: record, alerts: 0, items: 0)
    }
}

/// A lock around the short, synchronous dedup section of the pipeline.
final class DedupSection: Sendable {
    private let lock = Mutex(())

    func run<T>(_ body: () throws -> T) throws -> T {
        try lock.withLock { _ in try body() }
    }
}
