public import Dedup
import Foundation
import Logging
public import NewsModel
import TopicRules

/// The result of polling one feed once.
public struct FeedPollReport: Sendable {
    public var feed: FeedSource
    /// For the state machine.
    public var outcome: FeedStateMachine.Outcome
    /// The updated record (the caller fills in the schedule fields and saves it).
    public var record: StoredFeedState
    /// Alerts newly published to the spool (also those of an earlier poll whose delivery was unfinished).
    public var alerts: Int
    /// Entries in the document (0 for 304 and failures).
    public var items: Int
    /// What kept the daemon from recording polls after this one, if anything; not the feed's fault.
    public var problem: DaemonProblem?

    public init(
        feed: FeedSource, outcome: FeedStateMachine.Outcome, record: StoredFeedState, alerts: Int = 0, items: Int = 0,
        problem: DaemonProblem? = nil
    ) {
        self.feed = feed
        self.outcome = outcome
        self.record = record
        self.alerts = alerts
        self.items = items
        self.problem = problem
    }
}

/// A poll after its concurrent half (fetch, parse, match), ready for the serialized dedup half
/// (``FeedPipeline/deliver(_:)``).
public struct PreparedPoll: Sendable {
    /// Where the concurrent half ended.
    enum Stage: Sendable {
        /// Nothing to dedup (304, gone, a failure): the report is final.
        case finished(FeedPollReport)
        /// A parsed document with, per entry, the topics it matched.
        case matched(MatchedDocument)
    }

    public let feed: FeedSource
    let now: Date
    let logger: Logger
    let stage: Stage
}

/// A parsed document and its matches, not yet deduplicated.
struct MatchedDocument: Sendable {
    var record: StoredFeedState
    /// The URL polled (the moved-to URL when the feed moved), without credentials (``NewsModel/URLCredentials``).
    var url: String
    var document: FeedDocument
    /// Per entry, the topics it matched.
    var matches: [[TopicMatch]]
    /// Per entry, what dedup derives from it alone.
    var prepared: [PreparedEntry]
    /// Validators to store once the document is recorded.
    var etag: String?
    var lastModified: String?
    /// Topics by id, for alert titles.
    var topics: [String: TopicDefinition]
}
