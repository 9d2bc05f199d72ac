public import Foundation
public import NewsModel

/// One fetch of one feed: where, with which validators, within which limits.
public struct FetchRequest: Sendable, Hashable {
    /// The feed's id; it names the feed in every log line and error.
    public var feedID: String
    /// An `http`, `https` or `file` URL (the moved-to URL when the feed moved permanently).
    public var url: URL
    /// The `ETag` of the last successful fetch, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` of the last successful fetch, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// Hard deadline for this fetch; nil uses ``FetchConfiguration/deadline``.
    public var timeout: Duration?
    /// Byte cap for this fetch; nil uses ``FetchConfiguration/maxBytes``.
    public var maxBytes: Int?

    public init(
        feedID: String,
        url: URL,
        etag: String? = nil,
        lastModified: String? = nil,
        timeout: Duration? = nil,
        maxBytes: Int? = nil
    ) {
        self.feedID = feedID
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    /// A request for a configured feed, with its deadline and byte cap.
    ///
    /// - Parameters:
    ///   - source: The feed from feeds.conf.
    ///   - url: The URL to fetch; nil uses `source.url` (nil is returned when that is no valid URL).
    ///   - etag: The stored `ETag`, if any.
    ///   - lastModified: The stored `Last-Modified`, if any.
    public init?(source: FeedSource, url: URL? = nil, etag: String? = nil, lastModified: String? = nil) {
        guard let url = url ?? URL(string: source.url) else { return nil }
        self.init(
            feedID: source.id, url: url, etag: etag, lastModified: lastModified,
            timeout: source.timeout, maxBytes: source.maxBytes
        )
    }
}
