public import Dedup
public import FeedParsing
public import Fetching
public import Foundation
public import Logging
public import NewsModel
public import Spool
import TopicRules

/// fetch → parse → match, then dedup plan → spool → stdout → commit, for one feed.
///
/// The poll has two halves. ``prepare(feed:runtime:now:logger:)`` (fetch, parse, match) runs
/// concurrently for many feeds. ``deliver(_:)`` (plan, spool, stdout, commit) runs one feed at a time
/// under a lock: two feeds carrying the same story must not both plan it before either has
/// committed. The caller chooses the order of deliveries: `newsmon once` delivers in feed-id order
/// so that its alerts do not depend on which fetch finished first; the daemon delivers as fetches finish.
///
/// A failure of the state store or the spool is the daemon's problem, not the feed's (see
/// ``DaemonProblem``): a delivery whose alerts reached the spool but whose commit failed is kept and
/// finished (spool, then commit) before anything else is planned, so it never leads to a second alert.
public struct FeedPipeline: Sendable {
    public let store: any StoryStore
    public let fetcher: any FeedFetcher
    public let spool: SpoolWriter
    /// Printed after the spool accepted a new alert (stdout).
    public let output: any AlertSink
    public let parser: FeedParser
    let section = DeliverySection()
    /// Where the time of this pipeline's polls went.
    public let timings = PollTimings()

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

    /// Polls `feed` once: ``prepare(feed:runtime:now:logger:)`` then ``deliver(_:)``.
    /// Never throws: every failure ends up in the report and the record.
    public func poll(feed: FeedSource, runtime: MonitorRuntime, now: Date, logger: Logger) async -> FeedPollReport {
        deliver(await prepare(feed: feed, runtime: runtime, now: now, logger: logger))
    }

    /// The concurrent half of a poll: reads the feed's state, fetches, parses and matches. Writes nothing.
    public func prepare(feed: FeedSource, runtime: MonitorRuntime, now: Date, logger: Logger) async -> PreparedPoll {
        await prepare(feed: feed, runtime: runtime, now: now, logger: logger, states: nil)
    }

    /// ``prepare(feed:runtime:now:logger:)`` with the feed's state taken from `states` when given (`newsmon
    /// once` reads every feed's state in one query, not one per feed), and a first poll's entries prepared for
    /// dedup here (``Dedup/PreparedEntry``) only when `preparesEntries` (else by the plan, as for any later poll).
    func prepare(
        feed: FeedSource, runtime: MonitorRuntime, now: Date, logger: Logger, states: [String: StoredFeedState]?,
        preparesEntries: Bool = true
    ) async -> PreparedPoll {
        var logger = logger
        logger[metadataKey: "feed.id"] = "\(feed.id)"
        func finished(_ report: FeedPollReport) -> PreparedPoll {
            PreparedPoll(feed: feed, now: now, logger: logger, stage: .finished(report))
        }
        var record: StoredFeedState
        do {
            let stored = if let states { states[feed.id] } else { try store.feedState(id: feed.id) }
            record = stored ?? StoredFeedState(feedID: feed.id, url: feed.url)
        } catch {
            let problem = DaemonProblem(component: .stateStore, message: "cannot read feed state: \(error)", since: now)
            logger.error("cannot read feed state", metadata: ["error": "\(error)"])
            return finished(
                FeedPollReport(feed: feed, outcome: .deferred, record: StoredFeedState(feedID: feed.id, url: feed.url), problem: problem))
        }
        if record.url != feed.url {
            // feeds.conf now names another URL: forget redirects and validators of the old one.
            record = StoredFeedState(feedID: feed.id, url: feed.url, nextDue: record.nextDue)
        }
        record.lastAttempt = now
        let url = record.movedToURL ?? feed.url
        let shownURL = URLCredentials.stripped(url)  // what logs, alerts and links see: never a password
        logger[metadataKey: "feed.url"] = "\(shownURL)"
        guard
            let target = URL(string: url),
            let request = FetchRequest(source: feed, url: target, etag: record.etag, lastModified: record.lastModified)
        else {
            return finished(failure(feed, record, "\(feed.id): invalid URL \(shownURL)", logger: logger))
        }
        let fetchStart = ContinuousClock.now
        let result = await fetcher.fetch(request, logger: logger)
        let fetchTime = ContinuousClock.now - fetchStart
        timings.add { $0.fetchWall += Double(fetchTime.components.seconds) + Double(fetchTime.components.attoseconds) / 1e18 }
        let redirect = result.permanentRedirect?.absoluteString
        switch result.outcome {
        case .notModified:
            record.lastStatus = 304
            Self.recordMove(to: redirect, in: &record, logger: logger)
            return finished(success(feed, record, now: now, items: 0, logger: logger))
        case .gone(let status):
            record.lastStatus = status
            record.lastError = "\(feed.id): HTTP \(status), the feed is gone; probing slowly"
            logger.warning("feed gone", metadata: ["http.status": "\(status)"])
            return finished(FeedPollReport(feed: feed, outcome: .gone, record: record))
        case .rateLimited(let status, let retryAfter):
            record.lastStatus = status
            return finished(
                failure(feed, record, "\(feed.id): HTTP \(status), rate limited", retryAfter: retryAfter, logger: logger))
        case .failed(let error):
            record.lastStatus = result.status ?? error.status
            return finished(failure(feed, record, "\(error)", logger: logger))
        case .content(let body, let charset, let etag, let lastModified):
            record.lastStatus = result.status
            Self.recordMove(to: redirect, in: &record, logger: logger)
            var document: FeedDocument
            do {
                document = try timings.measure(\.parse) {
                    try parser.parse(body, url: shownURL, charset: charset, timeZone: feed.timeZone)
                }
            } catch {
                return finished(failure(feed, record, "\(feed.id): \(error)", logger: logger))
            }
            if let note = document.recoveryNote {
                logger.warning("feed document recovered", metadata: ["feed.recovered": "\(note)"])
            }
            let matches = timings.measure(\.match) { document.entries.map { runtime.match($0.text) } }
            // What dedup needs of each entry alone (`PreparedEntry`: identity, fingerprint), here, concurrently with
            // other feeds' fetches, not in the serialized plan; only on a feed's first success, where nearly every
            // entry is new.
            let prepared = !preparesEntries || record.lastSuccess != nil ? [] : timings.measure(\.dedupPrepare) {
                document.entries.map(PreparedEntry.init)
            }
            // Dedup and alerts read the plain text (`text`) and the title: the HTML of summary and content is
            // not kept while the document waits for its delivery, nor the plain full text where nothing reads
            // it: plan and alerts read the teaser, and an item's identity reads the text only without a date.
            for index in document.entries.indices {
                document.entries[index].summary = nil
                document.entries[index].content = nil
                let entry = document.entries[index]
                if !entry.text.summary.isEmpty, !ItemIdentity.readsText(of: entry) {
                    document.entries[index].text.content = ""  // the teaser is the summary
                }
            }
            timings.add { $0.items += document.entries.count }
            let matched = MatchedDocument(
                record: record, url: shownURL, document: document, matches: matches, prepared: prepared, etag: etag,
                lastModified: lastModified, topics: runtime.topics)
            return PreparedPoll(feed: feed, now: now, logger: logger, stage: .matched(matched))
        }
    }

    /// Remembers a permanent redirect (301/308) as the feed's new URL in state; feeds.conf is never rewritten.
    static func recordMove(to redirect: String?, in record: inout StoredFeedState, logger: Logger) {
        guard let redirect, redirect != record.movedToURL else { return }
        record.movedToURL = redirect
        logger.notice("feed moved permanently", metadata: ["feed.moved_to": "\(URLCredentials.stripped(redirect))"])
    }

    /// `note`: kept as the feed's last error although the poll succeeded (``NewsModel/FeedDocument/recoveryNote``),
    /// and counted in ``Dedup/StoredFeedState/recoveredDocuments``.
    func success(
        _ feed: FeedSource, _ record: StoredFeedState, now: Date, alerts: Int = 0, items: Int, note: String? = nil,
        logger: Logger
    ) -> FeedPollReport {
        var record = record
        record.lastSuccess = now
        record.lastError = note
        if note != nil { record.recoveredDocuments += 1 }
        record.goneSince = nil
        logger.debug(
            "feed polled",
            metadata: ["http.status": "\(record.lastStatus.map(String.init) ?? "-")", "feed.items": "\(items)",
                "feed.alerts": "\(alerts)"])
        return FeedPollReport(feed: feed, outcome: .fetched, record: record, alerts: alerts, items: items)
    }

    func failure(
        _ feed: FeedSource, _ record: StoredFeedState, _ message: String, retryAfter: Duration? = nil, logger: Logger
    ) -> FeedPollReport {
        var record = record
        record.lastError = message
        logger.warning("feed poll failed", metadata: ["error": "\(message)"])
        return FeedPollReport(feed: feed, outcome: .failed(retryAfter: retryAfter), record: record)
    }
}
