public import Dedup
public import Foundation
public import Logging
public import NewsModel

/// One alert the dedup store decided to raise: entry `entryIndex` of the polled document, for `topicID`.
public struct AlertToRaise: Sendable, Hashable {
    /// Deterministic: the same story and topic always give the same id.
    public var alertID: String
    public var storyKey: String
    public var topicID: String
    public var entryIndex: Int
    /// The stable item id.
    public var itemID: String
    public var alsoIn: [String]

    public init(alertID: String, storyKey: String, topicID: String, entryIndex: Int, itemID: String, alsoIn: [String] = []) {
        self.alertID = alertID
        self.storyKey = storyKey
        self.topicID = topicID
        self.entryIndex = entryIndex
        self.itemID = itemID
        self.alsoIn = alsoIn
    }
}

/// The dedup decision for one polled document: the alerts to raise, and an opaque token
/// that ``MonitorStore/commit(_:)`` records once the alerts are durable in the spool.
public struct AlertPlan: Sendable {
    public var alerts: [AlertToRaise]
    public var token: any Sendable

    public init(alerts: [AlertToRaise], token: any Sendable) {
        self.alerts = alerts
        self.token = token
    }
}

/// The state the daemon keeps: per-feed records and the seen/alerted items (SQLite in production).
public protocol MonitorStore: Sendable {
    func feedState(id: String) throws -> StoredFeedState?
    func saveFeedState(_ record: StoredFeedState) throws
    func allFeedStates() throws -> [StoredFeedState]
    /// Decides, without writing, which of `entries` raise alerts; `topics[i]` are the topic ids entry `i` matched.
    /// Planning twice without a commit gives the same alert ids.
    func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws -> AlertPlan
    /// Records a plan (items seen, alerts raised) in one transaction.
    func commit(_ plan: AlertPlan) throws
    /// Deletes records older than the retention period (by age only, never because an item left its feed).
    func prune(now: Date) throws
}

/// One fetch to perform.
public struct FeedFetchRequest: Sendable, Hashable {
    public var feed: FeedSource
    /// The URL to poll (a remembered permanent redirect, else the configured URL).
    public var url: String
    public var etag: String?
    public var lastModified: String?

    public init(feed: FeedSource, url: String, etag: String? = nil, lastModified: String? = nil) {
        self.feed = feed
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// How one fetch ended.
public enum FeedFetchOutcome: Sendable, Hashable {
    /// A body to parse. `status` is nil for file:// URLs.
    case content(
        body: [UInt8], charset: String?, etag: String?, lastModified: String?, status: Int?,
        permanentRedirect: String?)
    /// 304, or an unchanged file; `permanentRedirect` when a 301/308 led to the answer.
    case notModified(permanentRedirect: String? = nil)
    /// 404 or 410.
    case gone(status: Int)
    /// Any failure; `retryAfter` from 429/503.
    case failed(message: String, status: Int?, retryAfter: Duration?)
}

/// Fetches feeds (URLSession and file:// in production).
public protocol FeedFetching: Sendable {
    func fetch(_ request: FeedFetchRequest, logger: Logger) async -> FeedFetchOutcome
}
