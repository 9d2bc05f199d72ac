public import Foundation
public import NewsModel

/// The daemon's memory as the pipeline sees it: per-feed state, and dedup in two steps.
///
/// ``DedupStore`` (SQLite) is the implementation. The two-step dedup keeps alerts from being lost or
/// repeated (docs/spool-format.md, "Protocol (writer)"): ``plan(feed:entries:topics:now:)`` decides without writing, the caller
/// makes the planned alerts durable in the spool, then ``commit(_:)`` records the plan. Planning again
/// before a commit gives the same alert ids.
public protocol StoryStore: Sendable {
    /// The stored state of one feed, or `nil` when it was never saved.
    func feedState(id: String) throws(DedupError) -> StoredFeedState?
    /// Inserts or replaces the state of `state.feedID`.
    func saveFeedState(_ state: StoredFeedState) throws(DedupError)
    /// Inserts or replaces the states of several feeds, all or none.
    func saveFeedStates(_ states: [StoredFeedState]) throws(DedupError)
    /// Every stored feed state, ordered by feed id.
    func allFeedStates() throws(DedupError) -> [StoredFeedState]
    /// Decides, without writing, which entries of documents fetched together raise alerts (one document: a
    /// poll; several: `newsmon once`, entries in date order), one plan per document; `topics[i]` of a
    /// document are the topic ids its entry `i` matched.
    func plan(batch documents: [DedupStore.Document], now: Date) throws(DedupError) -> [DedupPlan]
    /// Records the plans of one batch (items seen, stories, alerts raised) in one transaction; idempotent.
    func commit(_ plans: [DedupPlan]) throws(DedupError)
    /// ``commit(_:)`` while the caller makes the plans' alerts durable: the store may write the plans meanwhile, calls
    /// `isDurable` (which waits for the alerts) before it commits, and records nothing when it returns false.
    ///
    /// - Returns: Whether the plans were recorded (false: `isDurable` returned false).
    func commit(_ plans: [DedupPlan], when isDurable: () -> Bool) throws(DedupError) -> Bool
    /// Records the configured topics; a topic new to the store is matched once against items seen before it.
    @discardableResult
    func registerTopics(_ ids: [String], now: Date) throws(DedupError) -> [String]
    /// The ids among `ids` that have no committed alert.
    func uncommittedAlertIDs(_ ids: [String]) throws(DedupError) -> [String]
    /// Records alerts found in the spool whose plans were never committed; idempotent.
    @discardableResult
    func recover(_ alerts: [RecoveredAlert], now: Date) throws(DedupError) -> Int
    /// Deletes records older than the retention period (by age only).
    @discardableResult
    func prune(now: Date) throws(DedupError) -> PruneResult
}

extension StoryStore {
    /// The plan of one document: ``DedupStore/plan(batch:now:)`` with one document (entries decided in date
    /// order, the plan's items in entry order).
    public func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws(DedupError)
        -> DedupPlan
    {
        try plan(batch: [DedupStore.Document(feed: feed, entries: entries, topics: topics)], now: now)[0]
    }

    /// Each state in turn with ``saveFeedState(_:)`` (a store that can should write them in one transaction).
    public func saveFeedStates(_ states: [StoredFeedState]) throws(DedupError) {
        for state in states { try saveFeedState(state) }
    }

    /// Records one plan.
    public func commit(_ plan: DedupPlan) throws(DedupError) {
        try commit([plan])
    }

    /// Waits for `isDurable`, then ``commit(_:)``: nothing written before the alerts are durable.
    public func commit(_ plans: [DedupPlan], when isDurable: () -> Bool) throws(DedupError) -> Bool {
        guard isDurable() else { return false }
        try commit(plans)
        return true
    }
}

extension DedupStore: StoryStore {}
