import Dedup
import Foundation
import Logging
import NewsModel
import Spool
import Synchronization
import TopicRules

/// Planned alerts on their way to the spool and the state store.
struct Delivery: Sendable {
    var feedID: String
    var plan: DedupPlan
    var alerts: [Alert]
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
    public func deliver(_ prepared: PreparedPoll) -> FeedPollReport {
        section.state.withLock { state in deliver(prepared, state: &state) }
    }

    private func deliver(_ prepared: PreparedPoll, state: inout DeliverySection.State) -> FeedPollReport {
        let logger = prepared.logger
        var published = 0
        if let unfinished = state.unfinished {
            if let problem = publish(unfinished, now: prepared.now, published: &published, logger: logger) {
                return deferred(prepared, problem: problem, alerts: published, state: &state)
            }
            state.unfinished = nil
            logger.notice("unfinished delivery recorded", metadata: ["delivery.feed": "\(unfinished.feedID)"])
            recovered(&state, logger: logger)
        }
        let matched: MatchedDocument
        switch prepared.stage {
        case .finished(var report):
            report.alerts += published
            if let problem = report.problem {
                note(problem, in: &state, logger: logger)
            }
            report.problem = state.problem
            return report
        case .matched(let document):
            matched = document
        }
        let entries = matched.document.entries
        let plan: DedupPlan
        do {
            plan = try store.plan(
                feed: prepared.feed, entries: entries, topics: matched.matches.map { $0.map(\.topicID) },
                now: prepared.now)
        } catch {
            logger.error("cannot plan alerts", metadata: ["error": "\(error)"])
            let problem = DaemonProblem(component: .stateStore, message: "cannot plan: \(error)", since: prepared.now)
            return deferred(prepared, problem: problem, alerts: published, state: &state)
        }
        Self.logSilentMatches(plan, entries: entries, logger: logger)
        let delivery = Delivery(
            feedID: prepared.feed.id, plan: plan, alerts: Self.makeAlerts(plan, matched, feed: prepared.feed, now: prepared.now))
        if let problem = publish(delivery, now: prepared.now, published: &published, logger: logger) {
            state.unfinished = delivery
            return deferred(prepared, problem: problem, alerts: published, state: &state)
        }
        recovered(&state, logger: logger)
        var record = matched.record
        record.etag = matched.etag
        record.lastModified = matched.lastModified
        record.lastItemCount = entries.count
        return success(prepared.feed, record, now: prepared.now, alerts: published, items: entries.count, logger: logger)
    }

    /// Writes every alert of `delivery` to the spool (printing those newly written), then commits its plan.
    ///
    /// - Returns: nil when all is recorded, else what failed.
    private func publish(_ delivery: Delivery, now: Date, published: inout Int, logger: Logger) -> DaemonProblem? {
        for alert in delivery.alerts {
            let outcome: SpoolWriter.Outcome
            do {
                outcome = try spool.write(alert)
            } catch {
                logger.error("cannot write alert to the spool", metadata: ["alert.id": "\(alert.id)", "error": "\(error)"])
                return DaemonProblem(component: .spool, message: "\(error)", since: now)
            }
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
            published += 1
            do {
                try output.deliver(alert)
            } catch {
                logger.warning("cannot print alert", metadata: ["alert.id": "\(alert.id)", "error": "\(error)"])
            }
        }
        do {
            try store.commit(delivery.plan)
        } catch {
            logger.error("cannot commit to the state store", metadata: ["delivery.feed": "\(delivery.feedID)", "error": "\(error)"])
            return DaemonProblem(component: .stateStore, message: "cannot commit: \(error)", since: now)
        }
        return nil
    }

    /// The report of a document the daemon could not record: no backoff, validators kept.
    private func deferred(
        _ prepared: PreparedPoll, problem: DaemonProblem, alerts: Int, state: inout DeliverySection.State
    ) -> FeedPollReport {
        note(problem, in: &state, logger: prepared.logger)
        var record: StoredFeedState
        switch prepared.stage {
        case .finished(let report): return FeedPollReport(
            feed: report.feed, outcome: report.outcome, record: report.record, alerts: report.alerts + alerts,
            items: report.items, problem: state.problem)
        case .matched(let matched): record = matched.record
        }
        record.lastError = nil
        return FeedPollReport(feed: prepared.feed, outcome: .deferred, record: record, alerts: alerts, problem: state.problem)
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
            let summary = entry.text.summary.isEmpty ? entry.text.content : entry.text.summary
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
