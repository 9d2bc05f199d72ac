import Foundation
public import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real ``FeedFetcher``: one ephemeral `URLSession` for the process, `file://` from disk.
///
/// - Conditional GET with `If-None-Match` / `If-Modified-Since`; gzip, deflate and br decoded by libcurl.
/// - An idle timeout (`URLRequest.timeoutInterval`) and a hard deadline enforced by cancelling the task
///   (URLSession on Linux ignores `timeoutIntervalForResource`).
/// - A byte cap enforced in the data delegate: bytes past it are never kept.
/// - Redirects decided in the delegate: at most ``FetchConfiguration/maxRedirects``, only to http/https;
///   301/308 reported in ``FetchResult/permanentRedirect``.
/// - At most ``FetchConfiguration/maxConcurrentFetches`` fetches in flight, and
///   ``FetchConfiguration/maxConcurrentFetchesPerHost`` per host name; callers beyond that wait.
///
/// No URL cache, no cookies. Call ``shutdown()`` when done (or use ``withHTTPFeedFetcher(configuration:_:)``):
/// the session keeps its delegate alive until it is invalidated.
public final class HTTPFeedFetcher: FeedFetcher {
    /// The settings this fetcher was made with.
    public let configuration: FetchConfiguration

    let session: URLSession
    let delegate: SessionDelegate
    private let limiter: FetchLimiter

    /// Makes the fetcher and its session.
    public init(configuration: FetchConfiguration = FetchConfiguration()) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.urlCache = nil  // we do conditional GET ourselves; no ~/.cache writes
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.httpCookieAcceptPolicy = .never
        sessionConfiguration.timeoutIntervalForRequest = Self.seconds(configuration.idleTimeout)
        sessionConfiguration.httpMaximumConnectionsPerHost = max(1, configuration.maxConcurrentFetchesPerHost)
        sessionConfiguration.httpAdditionalHeaders = ["User-Agent": configuration.userAgent]
        self.delegate = SessionDelegate()
        self.session = URLSession(configuration: sessionConfiguration, delegate: delegate, delegateQueue: nil)
        self.limiter = FetchLimiter(
            globalLimit: max(1, configuration.maxConcurrentFetches),
            perHostLimit: max(1, configuration.maxConcurrentFetchesPerHost))
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Lets running fetches finish, then releases the session and its delegate.
    public func shutdown() {
        session.finishTasksAndInvalidate()
    }

    public func fetch(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        var logger = logger
        logger[metadataKey: "feed.id"] = "\(request.feedID)"
        let scheme = request.url.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" || scheme == "file" else {
            let error = FetchError(
                code: .invalidURL, message: "unsupported URL scheme (only http, https and file)",
                feedID: request.feedID, url: request.url.absoluteString)
            logger.debug("fetch refused", metadata: ["fetch.url": "\(request.url.absoluteString)"])
            return FetchResult(feedID: request.feedID, requestedURL: request.url, outcome: .failed(error))
        }
        let host = scheme == "file" ? nil : request.url.host?.lowercased()
        do {
            try await limiter.acquire(host: host)
        } catch {
            let failure = FetchError(
                code: .cancelled, message: "cancelled while waiting for a fetch slot", feedID: request.feedID,
                url: request.url.absoluteString)
            return FetchResult(feedID: request.feedID, requestedURL: request.url, outcome: .failed(failure))
        }
        let clock = ContinuousClock()
        let start = clock.now
        logger.trace("fetch started", metadata: ["fetch.url": "\(request.url.absoluteString)"])
        var result =
            scheme == "file"
            ? readFile(request, maxBytes: request.maxBytes ?? configuration.maxBytes, logger: logger)
            : await fetchHTTP(request, logger: logger)
        await limiter.release(host: host)
        result.elapsed = clock.now - start
        logger.debug(
            "fetch finished",
            metadata: [
                "fetch.outcome": "\(result.outcome.label)",
                "fetch.bytes": "\(result.bytesReceived)",
                "fetch.ms": "\(Int(Self.seconds(result.elapsed) * 1000))",
                "http.status": "\(result.status.map(String.init) ?? "-")",
            ])
        if let moved = result.permanentRedirect {
            logger.debug("feed moved permanently", metadata: ["fetch.moved_to": "\(moved.absoluteString)"])
        }
        return result
    }

    /// Permits out right now: overall and for `host` (for tests).
    package func limiterUsage(host: String) async -> (global: Int, host: Int) {
        await limiter.usage(host: host)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let parts = duration.components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// Runs `body` with a fetcher and shuts it down afterwards.
///
/// `body` runs in the caller's isolation (like `withTaskGroup`), so it may touch the caller's state.
public func withHTTPFeedFetcher<T>(
    configuration: FetchConfiguration = FetchConfiguration(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (HTTPFeedFetcher) async throws -> T
) async rethrows -> T {
    let fetcher = HTTPFeedFetcher(configuration: configuration)
    defer { fetcher.shutdown() }
    return try await body(fetcher)
}
