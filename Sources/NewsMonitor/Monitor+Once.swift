import Dedup
import Foundation
import NewsModel
import Synchronization

extension Monitor {
    /// What `newsmon once` did.
    public struct OnceSummary: Sendable {
        public var feeds: Int
        /// Alerts newly written to the spool (and printed).
        public var alerts: Int
        /// Feed id and message of each feed that could not be fetched.
        public var failures: [(feed: String, message: String)]
        /// Feeds fetched whose documents could not be recorded because of ``problem``.
        public var deferred: [String] = []
        /// The state store or spool problem still present at the end, if any.
        public var problem: DaemonProblem?
        /// Where the time went (fetch, parse, match, dedup, spool).
        public var timings = PollTimings.Totals()
    }

    /// Polls every enabled feed once and persists the schedule, with the same alerts whatever the
    /// order of feeds.conf, `max_in_flight` or the network.
    ///
    /// Fetches start in feed-id order, at most `max_in_flight` at a time. The dedup half runs on chunks of
    /// ``onceBatchSize`` feeds in feed-id order (``FeedPipeline/deliver(batch:)``): a chunk is delivered once
    /// all its feeds are prepared, and its documents are planned as one, entries in date order, so the
    /// earliest report of a story founds it whichever feed carries it. Which feed founds a story, and so
    /// every alert id, therefore depends neither on which fetch finished first nor on the order of
    /// feeds.conf. In a poll of more than two chunks, the next chunk is fetched, parsed, matched and fingerprinted
    /// while one is delivered (two cores busy, not one); prepared documents wait for at most two chunks plus
    /// `max_in_flight` feeds (one chunk, and nothing fetched during a delivery, in a smaller poll), so memory
    /// stays bounded. The feeds' states are read in one query before the first fetch.
    ///
    /// - Parameter progress: Called after each feed with (done, total).
    public func pollOnce(progress: (@Sendable (Int, Int) -> Void)? = nil) async -> OnceSummary {
        let feeds = runtime.configuration.feeds.filter(\.isEnabled).sorted { $0.id < $1.id }
        let limit = max(1, runtime.configuration.daemon.maxInFlight)
        var summary = OnceSummary(feeds: feeds.count, alerts: 0, failures: [])
        var schedule = Schedule(runtime: runtime, store: pipeline.store, options: options, now: Date(), logger: logger)
        // nil (each feed reads its own, reporting a failure) when the store cannot list them.
        let states = try? Dictionary(
            pipeline.store.allFeedStates().map { ($0.feedID, $0) }, uniquingKeysWith: { first, _ in first })
        // Children return only an Int: a prepared feed's index, or `Self.deliveryDone` for a chunk delivered (its
        // reports wait in `prepared`).
        let prepared = PreparedPolls()
        await withTaskGroup(of: Int.self) { group in
            var launched = 0
            var delivered = 0  // feeds whose chunk is delivered
            var nextChunk = 0  // the first feed of the next chunk to deliver
            var isDelivering = false
            var inFlight = 0
            // While a chunk is delivered, the next one is prepared in full, fingerprints included (two cores busy,
            // two chunks in memory at most), when more than two chunks are to be polled: then it shortens the poll
            // by seconds (2,000 feeds: 12–14.5 → 10.5–11.4 s). A poll of one or two chunks gains nothing
            // measurable, would hold every document at once (100 feeds: 3 MB more peak RSS) and spent more CPU on
            // fingerprints worked out beside a delivery than in the plan: it fetches nothing during a delivery (the
            // `max_in_flight` feeds it fetched meanwhile held their bodies and documents at the plan's peak: 100
            // feeds 0.35 MB more, for no wall time gained) and leaves the fingerprints to the plan.
            let (overlaps, ahead) = Self.batchPacing(feeds: feeds.count, maxInFlight: limit)
            func launch() {
                while inFlight < limit, launched < feeds.count, launched - delivered < ahead {
                    let (index, feed) = (launched, feeds[launched])
                    launched += 1
                    inFlight += 1
                    schedule.markPolled(feed.id)
                    let (pipeline, runtime, logger) = (self.pipeline, self.runtime, self.logger)
                    group.addTask {
                        let poll = await pipeline.prepare(
                            feed: feed, runtime: runtime, now: Date(), logger: logger, states: states, preparesEntries: overlaps)
                        prepared.slots.withLock { $0[index] = poll }
                        return index
                    }
                }
            }
            /// Delivers the next chunk, in feed-id order and one at a time, once all its feeds are prepared.
            func deliverNext() {
                let chunk = nextChunk..<min(nextChunk + Self.onceBatchSize, feeds.count)
                guard !isDelivering, !chunk.isEmpty, prepared.isReady(chunk) else { return }
                isDelivering = true
                nextChunk = chunk.upperBound
                let pipeline = self.pipeline
                group.addTask {
                    // Taken here, not captured: the delivery owns the polls and releases each document once its
                    // alerts are made.
                    let reports = pipeline.deliver(batch: prepared.take(chunk), spoolsAlongside: overlaps)
                    prepared.reports.withLock { $0 = reports }
                    return Self.deliveryDone
                }
            }
            launch()
            while let finished = await group.next() {
                if finished == Self.deliveryDone {
                    isDelivering = false
                    let reports = prepared.reports.withLock { reports in defer { reports = [] }; return reports }
                    var random = SystemRandomNumberGenerator()
                    // The chunk's feed states in one transaction.
                    schedule.finished(reports, now: Date(), random: &random)
                    for report in reports {
                        delivered += 1
                        summary.alerts += report.alerts
                        switch report.outcome {
                        case .fetched: break
                        case .deferred: summary.deferred.append(report.feed.id)
                        case .failed, .gone: summary.failures.append((report.feed.id, report.record.lastError ?? "failed"))
                        }
                        progress?(delivered, feeds.count)
                    }
                } else {
                    inFlight -= 1
                }
                deliverNext()
                launch()
            }
        }
        summary.problem = pipeline.problem
        summary.timings = pipeline.timings.current
        StateDirectory(path: options.stateDirectory).saveProblem(summary.problem)
        return summary
    }
}

/// The reorder buffer of ``Monitor/pollOnce(progress:)``: prepared polls by feed index, and the reports of the
/// chunk just delivered.
private final class PreparedPolls: Sendable {
    let slots = Mutex<[Int: PreparedPoll]>([:])
    let reports = Mutex<[FeedPollReport]>([])

    /// Whether every poll of `range` is prepared.
    func isReady(_ range: Range<Int>) -> Bool {
        slots.withLock { slots in range.allSatisfy { slots[$0] != nil } }
    }

    /// The polls of `range` (all prepared: ``isReady(_:)``), removed.
    func take(_ range: Range<Int>) -> [PreparedPoll] {
        slots.withLock { slots in range.map { slots.removeValue(forKey: $0)! } }
    }
}

extension Monitor {
    /// Feeds whose documents `newsmon once` plans together (in feed-id order, chunk by chunk).
    static let onceBatchSize = 64

    /// For a poll of `feeds` feeds delivered chunk by chunk (`newsmon once`, the daemon's ``StartupRound``): whether the
    /// next chunk is prepared while one is delivered (more than two chunks), and how many feeds may be launched
    /// beyond those delivered.
    static func batchPacing(feeds: Int, maxInFlight: Int) -> (overlaps: Bool, ahead: Int) {
        let overlaps = feeds > 2 * onceBatchSize
        return (overlaps, overlaps ? 2 * onceBatchSize + maxInFlight : onceBatchSize)
    }
    /// What a delivery child of ``pollOnce(progress:)`` returns (prepare children return their feed's index).
    private static let deliveryDone = -1
}
