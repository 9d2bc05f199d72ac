import Foundation
import NewsModel

/// Why a fetch failed; the description names the feed.
///
/// Compare ``code`` against the static members of ``Code``; new codes may be added.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidURL = "invalid-url"
            case timedOut = "timed-out"
            case idleTimeout = "idle-timeout"
            case bodyTooLarge = "body-too-large"
            case tooManyRedirects = "too-many-redirects"
            case redirectRefused = "redirect-refused"
            case httpStatus = "http-status"
            case network = "network"
            case fileUnreadable = "file-unreadable"
            case cancelled = "cancelled"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL is malformed or its scheme is not `http`, `https` or `file`.
        public static let invalidURL = Code(.invalidURL)
        /// The hard deadline passed before the fetch completed.
        public static let timedOut = Code(.timedOut)
        /// No byte arrived for the idle timeout (also covers connecting).
        public static let idleTimeout = Code(.idleTimeout)
        /// The body was larger than the byte cap; nothing past the cap was kept.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// More redirects than ``FetchConfiguration/maxRedirects``.
        public static let tooManyRedirects = Code(.tooManyRedirects)
        /// A redirect was refused: to a scheme other than `http`/`https` (e.g. `file:`), or to an address
        /// further inside the local network than the feed's own (public → private, loopback, link-local).
        public static let redirectRefused = Code(.redirectRefused)
        /// An HTTP status that is neither success, 304, gone nor rate limiting (e.g. 500, 403).
        public static let httpStatus = Code(.httpStatus)
        /// Connection, DNS, TLS or protocol failure; the message names which, in one sentence.
        public static let network = Code(.network)
        /// A `file://` feed could not be read.
        public static let fileUnreadable = Code(.fileUnreadable)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The feed being fetched.
    public var feedID: String
    /// The URL involved (the failing redirect target, or the requested URL), without user info
    /// (``NewsModel/URLCredentials``): errors end up in logs and `status`.
    public var url: String?
    /// The HTTP status, for ``Code/httpStatus``.
    public var status: Int?
    /// The underlying error, if any: for transport failures a `TransportFailure` (its libcurl code and detail).
    public var cause: (any Error & Sendable)?

    public init(
        code: Code,
        message: String,
        feedID: String,
        url: String? = nil,
        status: Int? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.feedID = feedID
        self.url = url.map(URLCredentials.stripped)
        self.status = status
        self.cause = cause
    }

    /// A static label for metrics and log keys: the code, without dynamic values.
    public var shortDescription: String { code.description }

    public var description: String {
        var text = "feed '\(feedID)': \(message)"
        if let url { text += " (\(url))" }
        if let cause, !(cause is TransportFailure) { text += ": \(Self.summary(of: cause))" }  // already the message
        return text
    }

    /// One line about `error`: the transport's own sentence ("Could not resolve host: …") where it
    /// has one, not the whole `NSError` dump with its user-info dictionary.
    static func summary(of error: any Error) -> String {
        let nsError = error as NSError
        if let sentence = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !sentence.isEmpty {
            return sentence
        }
        return "\(error)"
    }
}
