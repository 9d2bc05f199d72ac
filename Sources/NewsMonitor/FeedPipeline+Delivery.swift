import Dedup
import Foundation
import Logging
import NewsModel
import Spool
import Synchronization
import TopicRules

/// Planned alerts on their way to the spool and the state store: one plan per document delivered together.
struct Delivery: Sendable {
    var plans: [DedupPlan]
    var alerts: [Alert]

    var feedIDs: String { plans.map(\.feedID).joined(separator: ",") }
}

/// A poll of a batch being delivered, without its document.
private struct Poll {
    var feed: FeedSource
    var now: Date
    var logger: Logger
    /// The final report of a poll with nothing to dedup; nil for a matched document.
    var finished: FeedPollReport?
    /// The record of a matched document, before its validators.
    var record: StoredFeedState

    init(_ prepared: PreparedPoll) {
        (feed, now, logger) = (prepared.feed, prepared.now, prepared.logger)
        switch prepared.stage {
        case .finished(let report): (finished, record) = (report, report.record)
        case .matched(let document): (finished, record) = (nil, document.record)
        }
    }
}

/// What the report of a recorded document needs of it: its record with the new validators, its item count
/// and its recovery note.
private struct RecordedDocument {
    var record: StoredFeedState
    var items: Int
    var recoveryNote: String?

    init(_ matched: MatchedDocument) {
        record = matched.record
        record.etag = matched.etag
        record.lastModified = matched.lastModified
        items = matched.document.entries.count
        record.lastItemCount = items
        recoveryNote = matched.document.recoveryNote
    }
}

/// The lock around the dedup half of the pipeline, and what it protects.
final class DeliverySection: Sendable {
    struct State: Sendable {
        /// A delivery whose spool writes or commit failed: finished before anything else is planned.
        var unfinished: Delivery?
        /// The daemon's storage problem, until a delivery succeeds again.
        var problem: DaemonProblem?
    }

    let state = Mutex(State())
}

extension FeedPipeline {
    /// The state store or spool problem that keeps polls from being recorded, if any.
    public var problem: DaemonProblem? { section.state.withLock { $0.problem } }

    /// The serialized half of a poll: finishes an unfinished delivery first, then plans the prepared
    /// document, writes its alerts to the spool (printing the new ones) and commits the plan.
    ///
    /// While an unfinished delivery cannot be finished, nothing is planned: the report is
    /// ``FeedStateMachine/Outcome/deferred`` and the feed's validators are not updated, so its items
    /// are read again at the next poll.
    public func deliver(_ prepared: consuming PreparedPoll) -> FeedPollReport {
        deliver(batch: [prepared])[0]
    }

    /// The serialized half of several polls fetched together (`newsmon once`): their documents are planned
    /// as one batch (``Dedup/DedupStore/plan(batch:now:)``: the earliest report of a story founds it, whichever
    /// feed carries it), their alerts written to the spool, and their plans committed in one transaction.
    /// One report per poll, in the order given.
    ///
    /// The batch is consumed: its documents are released once their alerts are made, before the spool writes
    /// and the commit (whose page cache and story index then grow into their memory).
    ///
    /// - Parameter spoolsAlongside: Whether the spool writes run on a thread of their own while the store writes
    ///   the plans (``publish(_:now:published:logger:spoolsAlongside:)``): worth it in a poll of many chunks, where
    ///   the deliveries are the poll's wall time; in a small one it only raises the peak (100 feeds: 0.5 MB).
    public func deliver(batch: consuming [PreparedPoll], spoolsAlongside: Bool = false) -> [FeedPollReport] {
        var owned: [PreparedPoll]? = batch
        return section.state.withLock { state in
            deliver(owned.take()!, spoolsAlongside: spoolsAlongside, state: &state)
        }
    }

    private func deliver(
        _ batch: consuming [PreparedPoll], spoolsAlongside: Bool, state: inout DeliverySection.State
    ) -> [FeedPollReport] {
        // The polls without their documents; the documents only in `matched`, until their alerts are made.
        var polls: [Poll] = []
        var matched: [(index: Int, document: MatchedDocument)] = []
        for prepared in consume batch {
            if case .matched(let document) = prepared.stage { matched.append((polls.count, document)) }
            polls.append(Poll(prepared))
        }
        guard let first = polls.first else { return [] }
        var published: [String: Int] = [:]
        if let unfinished = state.unfinished {
            if let problem = publish(
                unfinished, now: first.now, published: &published, logger: first.logger, spoolsAlongside: spoolsAlongside)
            {
                return polls.map { deferred($0, problem: problem, alerts: 0, state: &state) }
            }
            state.unfinished = nil
            first.logger.notice("unfinished delivery recorded", metadata: ["delivery.feed": "\(unfinished.feedIDs)"])
            recovered(&state, logger: first.logger)
        }
        var reports = [FeedPollReport?](repeating: nil, count: polls.count)
        for (index, poll) in polls.enumerated() {
            guard case .some(var report) = poll.finished else { continue }
            if let problem = report.problem { note(problem, in: &state, logger: poll.logger) }
            report.problem = state.problem
            reports[index] = report
        }
        if !matched.isEmpty {
            let now = matched.map { polls[$0.index].now }.max() ?? first.now
            let plans: [DedupPlan]
            do {
                plans = try timings.measure(\.plan) {
                    try store.plan(
                    batch: matched.map {
                        DedupStore.Document(
                            feed: polls[$0.index].feed, entries: $0.document.document.entries,
                            topics: $0.document.matches.map { $0.map(\.topicID) }, prepared: $0.document.prepared)
                    }, now: now)
                }
            } catch {
                first.logger.error("cannot plan alerts", metadata: ["error": "\(error)"])
                let problem = DaemonProblem(component: .stateStore, message: "cannot plan: \(error)", since: now)
                for (index, _) in matched { reports[index] = deferred(polls[index], problem: problem, alerts: 0, state: &state) }
                return reports.map { $0! }
            }
            var alerts: [Alert] = []
            for (plan, (index, document)) in zip(plans, matched) {
                Self.logSilentMatches(plan, entries: document.document.entries, logger: polls[index].logger)
                alerts += Self.makeAlerts(plan, document, feed: polls[index].feed, now: now)
            }
            // What the reports need of each document; the documents themselves are released here.
            let recorded = matched.map { (index: $0.index, document: RecordedDocument($0.document)) }
            matched = []
            let delivery = Delivery(plans: plans, alerts: alerts)
            if let problem = publish(
                delivery, now: now, published: &published, logger: first.logger, spoolsAlongside: spoolsAlongside)
            {
                state.unfinished = delivery
                for (index, _) in recorded {
                    reports[index] = deferred(
                        polls[index], problem: problem, alerts: published[polls[index].feed.id] ?? 0, state: &state)
                }
                return reports.map { $0! }
            }
            recovered(&state, logger: first.logger)
            for (index, document) in recorded {
                let poll = polls[index]
                reports[index] = success(
                    poll.feed, document.record, now: poll.now, alerts: published[poll.feed.id] ?? 0,
                    items: document.items, note: document.recoveryNote, logger: poll.logger)
            }
        }
        // Alerts of an unfinished delivery finished now count for their own feeds' reports when in this batch.
        for index in reports.indices {
            if let extra = published[polls[index].feed.id], polls[index].finished != nil {
                reports[index]?.alerts += extra
            }
        }
        return reports.map { $0! }
    }

    /// Writes every alert of `delivery` to the spool (printing those newly written) and commits its plan once they
    /// are durable.
    ///
    /// With `spoolsAlongside`, the spool writes (a file and an fsync per alert) run on a thread of their own while
    /// the store writes the plan (``Dedup/StoryStore/commit(_:when:)``); else they come first. Either way the store
    /// commits only after they all succeeded, so an alert is durable in the spool before its item is recorded, and a
    /// failed spool write records nothing.
    ///
    /// - Returns: nil when all is recorded, else what failed.
    private func publish(
        _ delivery: Delivery, now: Date, published: inout [String: Int], logger: Logger, spoolsAlongside: Bool
    ) -> DaemonProblem? {
        let spooling = SpoolingThread(
            spool: spool, alerts: delivery.alerts, timings: timings, onThread: spoolsAlongside)
        var spoolProblem: DaemonProblem?
        var isReported = false
        /// Waits for the spool writes and prints and logs their outcomes, once; false when one failed.
        func reportSpool() -> Bool {
            if isReported { return spoolProblem == nil }
            isReported = true
            let (outcomes, failure) = spooling.wait()
            for (alert, outcome) in zip(delivery.alerts, outcomes) {
                switch outcome {
                case .alreadyPresent:
                    continue
                case .written(let name):
                    logger.info(
                        "alert raised", metadata: ["alert.id": "\(alert.id)", "alert.topic": "\(alert.topic)", "spool.file": "\(name)"])
                case .replaced(let name, let invalid):
                    logger.warning(
                        "invalid spool file replaced",
                        metadata: ["alert.id": "\(alert.id)", "spool.file": "\(name)", "spool.invalid": "\(invalid)"])
                    logger.info(
                        "alert raised", metadata: ["alert.id": "\(alert.id)", "alert.topic": "\(alert.topic)", "spool.file": "\(name)"])
                }
                published[alert.feed, default: 0] += 1
                do {
                    try output.deliver(alert)
                } catch {
                    logger.warning("cannot print alert", metadata: ["alert.id": "\(alert.id)", "error": "\(error)"])
                }
            }
            if let failure {
                let alert = outcomes.count < delivery.alerts.count ? delivery.alerts[outcomes.count].id : "?"
                logger.error("cannot write alert to the spool", metadata: ["alert.id": "\(alert)", "error": "\(failure)"])
                spoolProblem = DaemonProblem(component: .spool, message: "\(failure)", since: now)
                return false
            }
            return true
        }
        // Written first (not alongside): a failed write is known before the store is asked to write anything.
        if !spoolsAlongside, !reportSpool() { return spoolProblem }
        do {
            _ = try timings.measure(\.commit) { try store.commit(delivery.plans, when: reportSpool) }
        } catch {
            // Alerts the spool holds are printed even when the store fails.
            if !reportSpool() { return spoolProblem }
            logger.error("cannot commit to the state store", metadata: ["delivery.feed": "\(delivery.feedIDs)", "error": "\(error)"])
            return DaemonProblem(component: .stateStore, message: "cannot commit: \(error)", since: now)
        }
        return spoolProblem
    }

    /// The report of a document the daemon could not record: no backoff, validators kept.
    private func deferred(_ poll: Poll, problem: DaemonProblem, alerts: Int, state: inout DeliverySection.State)
        -> FeedPollReport
    {
        note(problem, in: &state, logger: poll.logger)
        if let report = poll.finished {
            return FeedPollReport(
                feed: report.feed, outcome: report.outcome, record: report.record, alerts: report.alerts + alerts,
                items: report.items, problem: state.problem)
        }
        var record = poll.record
        record.lastError = nil
        return FeedPollReport(feed: poll.feed, outcome: .deferred, record: record, alerts: alerts, problem: state.problem)
    }

    /// Records a problem, keeping the time it was first seen while it lasts.
    private func note(_ problem: DaemonProblem, in state: inout DeliverySection.State, logger: Logger) {
        if state.problem == nil {
            logger.error("daemon problem: polls are not recorded", metadata: ["error": "\(problem)"])
        }
        state.problem = DaemonProblem(
            component: problem.component, message: problem.message, since: state.problem?.since ?? problem.since)
    }

    private func recovered(_ state: inout DeliverySection.State, logger: Logger) {
        guard let problem = state.problem else { return }
        state.problem = nil
        logger.notice("daemon problem cleared", metadata: ["error": "\(problem)"])
    }

    /// The alerts of `plan`, built from the document's entries and their match evidence.
    static func makeAlerts(_ plan: DedupPlan, _ matched: MatchedDocument, feed: FeedSource, now: Date) -> [Alert] {
        let entries = matched.document.entries
        return plan.alerts.compactMap { planned in
            guard entries.indices.contains(planned.entryIndex) else { return nil }
            let entry = entries[planned.entryIndex]
            let evidence = matched.matches[planned.entryIndex].first { $0.topicID == planned.topic }?.evidence ?? []
            let itemID =
                plan.items.indices.contains(planned.entryIndex)
                ? plan.items[planned.entryIndex].identity.key : planned.storyKey
            let title = entry.text.title.isEmpty ? (entry.title ?? "") : entry.text.title
            let summary = entry.text.teaser
            return Alert(
                id: planned.id,
                topic: planned.topic,
                topicTitle: matched.topics[planned.topic]?.title ?? planned.topic,
                detectedAt: now,
                feed: feed.id,
                feedURL: matched.url,
                item: AlertItem(
                    title: title, link: entry.link, id: itemID, published: entry.published ?? entry.updated,
                    summary: String(summary.prefix(AlertCoding.maximumSummaryLength))),
                why: evidence,
                story: planned.storyKey,
                alsoIn: []
            )
        }
    }
}
