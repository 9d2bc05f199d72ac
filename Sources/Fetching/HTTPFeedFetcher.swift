import Foundation
import NewsModel
public import Logging

/// The real ``FeedFetcher``: HTTP(S) through libcurl (one transfer thread per fetch), `file://` from disk.
///
/// - Conditional GET with `If-None-Match` / `If-Modified-Since`; gzip, deflate, br and zstd decoded by
///   libcurl in 16 KB steps, the decoded bytes counted against the byte cap as they come.
/// - An idle timeout (connect timeout plus "less than 1 byte/s for that long") and a hard deadline over
///   all hops that wakes the transfer thread at once.
/// - Redirects judged here: at most ``FetchConfiguration/maxRedirects``, only to http/https, never
///   further into the local network than the feed's own address (see docs/fetching.md);
///   301/308 reported in ``FetchResult/permanentRedirect``.
/// - At most ``FetchConfiguration/maxConcurrentFetches`` fetches in flight, and
///   ``FetchConfiguration/maxConcurrentFetchesPerHost`` per host name; callers beyond that wait.
///
/// No cache, no cookies, no connection kept between fetches.
public final class HTTPFeedFetcher: FeedFetcher {
    /// The settings this fetcher was made with.
    public let configuration: FetchConfiguration

    /// The scope of an address (tests make 127.0.0.1 "public" to play a remote origin).
    let addressScope: @Sendable (NetworkAddress) -> AddressScope
    /// `CURLOPT_RESOLVE` entries (`host:port:address`), for tests of names that resolve inwards.
    let resolveOverrides: [String]
    private let limiter: FetchLimiter

    /// Makes the fetcher.
    public convenience init(configuration: FetchConfiguration = FetchConfiguration()) {
        self.init(configuration: configuration, addressScope: { $0.scope }, resolveOverrides: [])
    }

    init(
        configuration: FetchConfiguration, addressScope: @escaping @Sendable (NetworkAddress) -> AddressScope,
        resolveOverrides: [String]
    ) {
        self.configuration = configuration
        self.addressScope = addressScope
        self.resolveOverrides = resolveOverrides
        self.limiter = FetchLimiter(
            globalLimit: max(1, configuration.maxConcurrentFetches),
            perHostLimit: max(1, configuration.maxConcurrentFetchesPerHost))
    }

    /// Kept for source compatibility: the fetcher holds no session; transfers end with their fetch.
    public func shutdown() {}

    public func fetch(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        var logger = logger
        logger[metadataKey: "feed.id"] = "\(request.feedID)"
        let scheme = request.url.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" || scheme == "file" else {
            let error = FetchError(
                code: .invalidURL, message: "unsupported URL scheme (only http, https and file)",
                feedID: request.feedID, url: request.url.absoluteString)
            logger.debug("fetch refused", metadata: ["fetch.url": "\(URLCredentials.stripped(request.url.absoluteString))"])
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
        logger.trace("fetch started", metadata: ["fetch.url": "\(URLCredentials.stripped(request.url.absoluteString))"])
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
            logger.debug("feed moved permanently", metadata: ["fetch.moved_to": "\(URLCredentials.stripped(moved.absoluteString))"])
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
