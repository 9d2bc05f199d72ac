import Fetching
import Foundation
import Logging
import NewsModel

/// The URL branch of `newsmon parse`: fetch with the daemon's fetcher, then parse.
enum RemoteFeed {
    /// A fetched document: its bytes, the charset HTTP declared, and the URL that answered (after redirects).
    struct Fetched {
        var bytes: [UInt8]
        var charset: String?
        var finalURL: String
    }

    /// True for `http://` and `https://` arguments.
    static func isRemote(_ argument: String) -> Bool {
        let lowered = argument.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    /// Fetches `argument` once (no validators), keeping at most `limit` bytes.
    static func fetch(_ argument: String, limit: Int) async throws(InputFile.ReadError) -> Fetched {
        guard let url = URL(string: argument) else { throw InputFile.ReadError(message: "not a valid URL") }
        var configuration = FetchConfiguration(userAgent: FetchConfiguration.userAgent(version: NewsmonVersion.string))
        configuration.maxBytes = limit
        let logger = Logger(label: "newsmon.parse", factory: { _ in SwiftLogNoOpLogHandler() })
        let result = await withHTTPFeedFetcher(configuration: configuration) { fetcher in
            await fetcher.fetch(FetchRequest(feedID: argument, url: url), logger: logger)
        }
        switch result.outcome {
        case .content(let body, let charset, _, _):
            // The base of relative links: never with the user info of the URL given.
            return Fetched(bytes: body, charset: charset, finalURL: URLCredentials.stripped(result.finalURL.absoluteString))
        case .notModified:
            throw InputFile.ReadError(message: "HTTP 304 without a conditional request")
        case .gone(let status):
            throw InputFile.ReadError(message: "HTTP \(status): the feed is gone")
        case .rateLimited(let status, let retryAfter):
            let wait = retryAfter.map { " (retry after \($0.components.seconds) s)" } ?? ""
            throw InputFile.ReadError(message: "HTTP \(status): rate limited\(wait)")
        case .failed(let error):
            var message = error.message
            if let cause = error.cause { message += ": \((cause as NSError).localizedDescription)" }
            throw InputFile.ReadError(message: message)
        }
    }
}
