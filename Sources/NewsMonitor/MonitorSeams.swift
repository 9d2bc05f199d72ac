public import Foundation
public import Logging
public import NewsModel

/// What the daemon remembers about one feed between polls (the `newsmon status` columns).
public struct FeedRecord: Sendable, Hashable {
    public var feedID: String
    /// The URL from feeds.conf the record belongs to.
    public var url: String
    /// Where a permanent redirect moved the feed; polled instead of ``url``.
    public var movedTo: String?
    public var etag: String?
    public var lastModified: String?
    /// HTTP status of the last fetch (200, 304, 404 …); nil for file:// and network errors.
    public var lastStatus: Int?
    public var consecutiveErrors: Int
    public var nextDue: Date?
    public var lastSuccess: Date?
    /// Entries in the last successfully parsed document.
    public var lastItemCount: Int?
    public var goneSince: Date?
    /// The last error, one line, naming the feed.
    public var lastError: String?

    public init(
        feedID: String, url: String, movedTo: String? = nil, etag: String? = nil, lastModified: String? = nil,
        lastStatus: Int? = nil, consecutiveErrors: Int = 0, nextDue: Date? = nil, lastSuccess: Date? = nil,
        lastItemCount: Int? = nil, goneSince: Date? = nil, lastError: String? = nil
    ) {
        self.feedID = feedID
        self.url = url
        self.movedTo = movedTo
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.consecutiveErrors = consecutiveErrors
        self.nextDue = nextDue
        self.lastSuccess = lastSuccess
        self.lastItemCount = lastItemCount
        self.goneSince = goneSince
        self.lastError = lastError
    }
}

/// One alert the dedup store decided to raise: entry `entryIndex` of the polled document, for `topicID`.
public struct PlannedAlert: Sendable, Hashable {
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
    public var alerts: [PlannedAlert]
    public var token: any Sendable

    public init(alerts: [PlannedAlert], token: any Sendable) {
        self.alerts = alerts
        self.token = token
    }
}

/// The state the daemon keeps: per-feed records and the seen/alerted items (SQLite in production).
public protocol MonitorStore: Sendable {
    func feedRecord(id: String) throws -> FeedRecord?
    func saveFeedRecord(_ record: FeedRecord) throws
    func allFeedRecords() throws -> [FeedRecord]
    /// Decides, without writing, which of `entries` raise alerts; `topics[i]` are the topic ids entry `i` matched.
    /// Planning twice without a commit gives the same alert ids.
    func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws -> AlertPlan
    /// Records a plan (items seen, alerts raised) in one transaction.
    func commit(_ plan: AlertPlan) throws
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
    case notModified
    /// 404 or 410.
    case gone(status: Int)
    /// Any failure; `retryAfter` from 429/503.
    case failed(message: String, status: Int?, retryAfter: Duration?)
}

/// Fetches feeds (URLSession and file:// in production).
public protocol FeedFetching: Sendable {
    func fetch(_ request: FeedFetchRequest, logger: Logger) async -> FeedFetchOutcome
}
