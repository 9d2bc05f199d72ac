public import Foundation

/// What one fetch produced: a typed ``FetchOutcome`` plus where the answer came from.
///
/// Redirect facts live here rather than in the outcome because any outcome can follow a redirect:
/// a feed that moved permanently and then answers 304 has still moved.
public struct FetchResult: Sendable {
    /// The feed the request was for.
    public var feedID: String
    /// The URL that was requested.
    public var requestedURL: URL
    /// What happened.
    public var outcome: FetchOutcome
    /// The URL that gave the final answer (after redirects); the requested URL when there were none.
    public var finalURL: URL
    /// Set when the request was moved permanently (301/308): the last URL reached by an unbroken run
    /// of permanent redirects from the requested URL. Store it as the feed's new URL; a temporary
    /// redirect (302/303/307) anywhere earlier in the chain leaves it nil.
    public var permanentRedirect: URL?
    /// The HTTP status of the final response; nil for `file://` and for failures before any response.
    public var status: Int?
    /// Body bytes kept (never more than the byte cap).
    public var bytesReceived: Int
    /// Wall time the fetch took, waiting for a concurrency slot excluded.
    public var elapsed: Duration

    public init(
        feedID: String,
        requestedURL: URL,
        outcome: FetchOutcome,
        finalURL: URL? = nil,
        permanentRedirect: URL? = nil,
        status: Int? = nil,
        bytesReceived: Int = 0,
        elapsed: Duration = .zero
    ) {
        self.feedID = feedID
        self.requestedURL = requestedURL
        self.outcome = outcome
        self.finalURL = finalURL ?? requestedURL
        self.permanentRedirect = permanentRedirect
        self.status = status
        self.bytesReceived = bytesReceived
        self.elapsed = elapsed
    }
}

/// The typed outcome of one fetch.
public enum FetchOutcome: Sendable {
    /// New content (HTTP 2xx or a file). Replace the stored validators with `etag` and `lastModified`
    /// (nil means the server sent none: forget the old one).
    ///
    /// - `body`: the decoded body (gzip/deflate/br already undone), at most the byte cap.
    /// - `charset`: the `charset` parameter of `Content-Type` as sent (quotes removed), for the parser.
    case content(body: [UInt8], charset: String?, etag: String?, lastModified: String?)
    /// HTTP 304 (or an unchanged file): nothing to parse; keep the stored validators.
    case notModified
    /// HTTP 404 or 410: the feed is gone; the daemon probes it slowly.
    case gone(status: Int)
    /// HTTP 429, or 503 with `Retry-After`: wait `retryAfter` (nil: the server gave no usable value).
    case rateLimited(status: Int, retryAfter: Duration?)
    /// Everything else: network errors, timeouts, other 4xx/5xx, the byte cap, refused redirects.
    case failed(FetchError)
}

extension FetchOutcome {
    /// The error, when the outcome is ``failed(_:)``.
    public var error: FetchError? {
        if case .failed(let error) = self { return error }
        return nil
    }

    /// True for ``content(body:charset:etag:lastModified:)`` and ``notModified``: the feed answered normally.
    public var isSuccess: Bool {
        switch self {
        case .content, .notModified: true
        case .gone, .rateLimited, .failed: false
        }
    }

    /// A short, static label for logs and metrics: `content`, `not-modified`, `gone`, `rate-limited`,
    /// or the error code.
    public var label: String {
        switch self {
        case .content: "content"
        case .notModified: "not-modified"
        case .gone: "gone"
        case .rateLimited: "rate-limited"
        case .failed(let error): error.shortDescription
        }
    }
}
