/// Settings shared by every fetch of one ``HTTPFeedFetcher``.
///
/// Every property has a default; the daemon fills the ones feeds.conf sets. Per-feed values
/// (deadline, byte cap) can be overridden in each ``FetchRequest``. When to fetch again is not the
/// fetcher's business: the daemon's `RetryPolicy` decides (docs/daemon.md, "Scheduling").
public struct FetchConfiguration: Sendable, Hashable {
    /// The project URL named in the `User-Agent`.
    public static let projectURL = "https://github.com/newsmon/newsmon"

    /// The `User-Agent` newsmon sends: `newsmon/<version> (+https://github.com/newsmon/newsmon)`.
    public static func userAgent(version: String) -> String {
        "newsmon/\(version) (+\(projectURL))"
    }

    /// The `User-Agent` header. The default is ``userAgent(version:)`` with version `0.0.0-dev`.
    public var userAgent: String
    /// Longest silence (no byte received, including while connecting) before a fetch fails.
    /// The default is 15 seconds.
    public var idleTimeout: Duration
    /// Hard limit on one whole fetch, redirects included, when the request sets none.
    /// The default is 20 seconds.
    public var deadline: Duration
    /// Largest decoded body kept, in bytes, when the request sets none. The default is 10 MB.
    public var maxBytes: Int
    /// Most redirects followed for one fetch; one more fails it. The default is 5.
    public var maxRedirects: Int
    /// Most fetches in flight in the whole process. The default is 8.
    public var maxConcurrentFetches: Int
    /// Most fetches in flight to one host name. The default is 2.
    public var maxConcurrentFetchesPerHost: Int

    public init(
        userAgent: String = FetchConfiguration.userAgent(version: "0.0.0-dev"),
        idleTimeout: Duration = .seconds(15),
        deadline: Duration = .seconds(20),
        maxBytes: Int = 10_000_000,
        maxRedirects: Int = 5,
        maxConcurrentFetches: Int = 8,
        maxConcurrentFetchesPerHost: Int = 2
    ) {
        self.userAgent = userAgent
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.maxConcurrentFetches = maxConcurrentFetches
        self.maxConcurrentFetchesPerHost = maxConcurrentFetchesPerHost
    }
}
