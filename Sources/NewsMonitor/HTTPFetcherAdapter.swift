public import Fetching
import Foundation
import NewsModel
public import Logging

/// The production ``FeedFetching``: ``Fetching/FeedFetcher`` (URLSession and file://) mapped to
/// the pipeline's outcomes.
public struct FetcherAdapter: FeedFetching {
    private let fetcher: any FeedFetcher

    public init(fetcher: any FeedFetcher) {
        self.fetcher = fetcher
    }

    public func fetch(_ request: FeedFetchRequest, logger: Logger) async -> FeedFetchOutcome {
        guard
            let fetchRequest = FetchRequest(
                source: request.feed, url: URL(string: request.url), etag: request.etag,
                lastModified: request.lastModified)
        else {
            return .failed(message: "\(request.feed.id): invalid URL \(request.url)", status: nil, retryAfter: nil)
        }
        let result = await fetcher.fetch(fetchRequest, logger: logger)
        switch result.outcome {
        case .content(let body, let charset, let etag, let lastModified):
            return .content(
                body: body, charset: charset, etag: etag, lastModified: lastModified, status: result.status,
                permanentRedirect: result.permanentRedirect?.absoluteString)
        case .notModified:
            return .notModified(permanentRedirect: result.permanentRedirect?.absoluteString)
        case .gone(let status):
            return .gone(status: status)
        case .rateLimited(let status, let retryAfter):
            return .failed(
                message: "\(request.feed.id): HTTP \(status), rate limited", status: status, retryAfter: retryAfter)
        case .failed(let error):
            return .failed(message: "\(error)", status: error.status, retryAfter: nil)
        }
    }
}
