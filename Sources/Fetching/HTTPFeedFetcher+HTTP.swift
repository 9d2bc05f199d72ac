import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension HTTPFeedFetcher {
    /// One HTTP(S) fetch: conditional headers, deadline, then the status mapped to an outcome.
    func fetchHTTP(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.timeoutInterval = Self.seconds(configuration.idleTimeout)
        urlRequest.setValue(configuration.userAgent, forHTTPHeaderField: "User-Agent")
        urlRequest.setValue(Self.accept, forHTTPHeaderField: "Accept")
        if let etag = request.etag { urlRequest.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified = request.lastModified {
            urlRequest.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since")
        }
        let deadline = request.timeout ?? configuration.deadline
        let transfer = FetchTransfer(
            feedID: request.feedID, url: request.url, maxBytes: max(0, request.maxBytes ?? configuration.maxBytes),
            maxRedirects: configuration.maxRedirects)
        let task = session.dataTask(with: urlRequest)
        delegate.register(transfer, for: task)
        defer { delegate.unregister(task) }

        // The deadline runs on a Dispatch timer, not a sleeping task: it fires on time even when the
        // cooperative thread pool is busy (parsing, SQLite) and cancels the URLSession task right away.
        let timer = DispatchWorkItem { transfer.finish(.deadline) }
        Self.deadlineQueue.asyncAfter(deadline: .now() + Self.seconds(deadline), execute: timer)
        let ending = await withTaskCancellationHandler {
            await transfer.run(task)
        } onCancel: {
            transfer.finish(.cancelled)
        }
        timer.cancel()
        return makeResult(request, ending: ending, snapshot: transfer.snapshot, deadline: deadline, logger: logger)
    }

    /// The `Accept` header: feed types first, any XML next, anything last.
    static let accept =
        "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, "
        + "*/*;q=0.8"

    /// Fires deadlines on a thread of its own, independent of the cooperative pool and of blocked workers.
    private static let deadlineQueue = DispatchQueue(label: "newsmon.fetch.deadline")

    private func makeResult(
        _ request: FetchRequest, ending: FetchTransfer.Ending, snapshot: FetchTransfer.Snapshot, deadline: Duration,
        logger: Logger
    ) -> FetchResult {
        let response = snapshot.response
        var result = FetchResult(
            feedID: request.feedID, requestedURL: request.url, outcome: .notModified,
            finalURL: response?.url ?? snapshot.currentURL, permanentRedirect: snapshot.permanentRedirect,
            status: response?.statusCode, bytesReceived: snapshot.body.count)
        func fail(_ code: FetchError.Code, _ message: String, cause: (any Error & Sendable)? = nil) -> FetchResult {
            result.outcome = .failed(
                FetchError(
                    code: code, message: message, feedID: request.feedID, url: result.finalURL.absoluteString,
                    status: result.status, cause: cause))
            return result
        }
        switch ending {
        case .deadline:
            return fail(.timedOut, "no complete answer within the deadline of \(deadline)")
        case .cancelled:
            return fail(.cancelled, "fetch cancelled")
        case .bodyTooLarge:
            let cap = request.maxBytes ?? configuration.maxBytes
            return fail(.bodyTooLarge, "body larger than the cap of \(cap) bytes")
        case .refused(let error):
            result.outcome = .failed(error)
            return result
        case .completed(let error?):
            return fail(Self.code(for: error), "transfer failed", cause: error)
        case .completed(nil):
            break
        }
        guard let response else { return fail(.network, "no HTTP response") }
        let status = response.statusCode
        switch status {
        case 200..<300:
            result.outcome = .content(
                body: snapshot.body,
                charset: HTTPHeaderValues.charset(fromContentType: response.value(forHTTPHeaderField: "Content-Type")),
                etag: response.value(forHTTPHeaderField: "ETag"),
                lastModified: response.value(forHTTPHeaderField: "Last-Modified"))
        case 304:
            result.outcome = .notModified
            result.bytesReceived = 0
        case 404, 410:
            result.outcome = .gone(status: status)
        case 429, 503:
            let retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap {
                HTTPHeaderValues.retryAfter($0, now: Date())
            }
            if status == 503 && retryAfter == nil {
                return fail(.httpStatus, "HTTP 503 without Retry-After")
            }
            result.outcome = .rateLimited(status: status, retryAfter: retryAfter)
        case 300..<400:
            return fail(.httpStatus, "HTTP \(status) redirect without a usable Location")
        default:
            return fail(.httpStatus, "HTTP \(status)")
        }
        return result
    }

    /// Maps a transport error to a code: idle timeout, redirect loop, bad URL, or network.
    static func code(for error: any Error) -> FetchError.Code {
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return .network }
        switch nsError.code {
        case NSURLErrorTimedOut: return .idleTimeout
        case NSURLErrorCancelled: return .cancelled
        case NSURLErrorHTTPTooManyRedirects: return .tooManyRedirects
        case NSURLErrorUnsupportedURL, NSURLErrorBadURL: return .invalidURL
        default: return .network
        }
    }
}
