public import Logging

/// Something that fetches feeds: ``HTTPFeedFetcher`` for real, a stub in tests.
public protocol FeedFetcher: Sendable {
    /// Fetches one feed once.
    ///
    /// Never throws: every outcome, including errors and cancellation, is a typed ``FetchResult``.
    /// - Parameters:
    ///   - request: What to fetch and with which validators and limits.
    ///   - logger: Receives `debug`/`trace` lines, each with `feed.id` metadata.
    func fetch(_ request: FetchRequest, logger: Logger) async -> FetchResult
}
