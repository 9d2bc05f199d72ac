public import Foundation

/// What the daemon remembers about one feed between polls and restarts; `newsmon status` shows it.
public struct StoredFeedState: Sendable, Hashable {
    /// The feed id from feeds.conf.
    public var feedID: String
    /// The URL as configured.
    public var url: String
    /// Where a permanent redirect (301/308) said the feed now lives; feeds.conf is never rewritten.
    public var movedToURL: String?
    /// The last `ETag` the server sent.
    public var etag: String?
    /// The last `Last-Modified` the server sent, verbatim.
    public var lastModified: String?
    /// The HTTP status of the last fetch (nil for `file://` or network errors).
    public var lastStatus: Int?
    /// Failed fetches in a row; 0 after a success.
    public var consecutiveErrors: Int
    /// When the feed should be polled next.
    public var nextDue: Date?
    /// When the last fetch was attempted.
    public var lastAttempt: Date?
    /// When the last fetch succeeded (200 or 304).
    public var lastSuccess: Date?
    /// Entries in the last successfully parsed document.
    public var lastItemCount: Int?
    /// Since when the feed answers 404/410, if it does.
    public var goneSince: Date?
    /// No fetch before this time (from `Retry-After`).
    public var retryAfter: Date?
    /// The last error, as text naming its cause.
    public var lastError: String?
    /// Documents that were not well-formed and were read by the parser's lenient pass (truncated bodies, a
    /// stray `&`), counted over the feed's life in this state store; each one's note was `lastError` for a while.
    public var recoveredDocuments: Int

    public init(
        feedID: String,
        url: String,
        movedToURL: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        lastStatus: Int? = nil,
        consecutiveErrors: Int = 0,
        nextDue: Date? = nil,
        lastAttempt: Date? = nil,
        lastSuccess: Date? = nil,
        lastItemCount: Int? = nil,
        goneSince: Date? = nil,
        retryAfter: Date? = nil,
        lastError: String? = nil,
        recoveredDocuments: Int = 0
    ) {
        self.feedID = feedID
        self.url = url
        self.movedToURL = movedToURL
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.consecutiveErrors = consecutiveErrors
        self.nextDue = nextDue
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastItemCount = lastItemCount
        self.goneSince = goneSince
        self.retryAfter = retryAfter
        self.lastError = lastError
        self.recoveredDocuments = recoveredDocuments
    }
}
