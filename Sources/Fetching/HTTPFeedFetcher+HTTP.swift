import Foundation
import Logging

extension HTTPFeedFetcher {
    /// Statuses whose `Location` is followed.
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// One HTTP(S) fetch: conditional headers, redirects judged here, a deadline over all hops, then the
    /// final status mapped to an outcome.
    func fetchHTTP(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        let deadline = request.timeout ?? configuration.deadline
        let control = FetchControl()
        // The deadline runs on a Dispatch timer, not a sleeping task: it fires on time even when the
        // cooperative thread pool is busy (parsing, SQLite) and wakes the transfer thread right away.
        let timer = DispatchWorkItem { control.stop(.deadline) }
        Self.deadlineQueue.asyncAfter(deadline: .now() + Self.seconds(deadline), execute: timer)
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await followHops(request, deadline: deadline, control: control)
        } onCancel: {
            control.stop(.cancelled)
        }
    }

    /// Fires deadlines on a thread of its own, independent of the cooperative pool and of blocked workers.
    private static let deadlineQueue = DispatchQueue(label: "newsmon.fetch.deadline")

    /// The `Accept` header: feed types first, any XML next, anything last.
    static let accept =
        "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, "
        + "*/*;q=0.8"

    private func requestHeaders(_ request: FetchRequest) -> [String] {
        var headers = ["User-Agent: \(configuration.userAgent)", "Accept: \(Self.accept)"]
        if let etag = request.etag { headers.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { headers.append("If-Modified-Since: \(lastModified)") }
        return headers.map { $0.filter { $0 != "\r" && $0 != "\n" } }  // a stored validator can't inject headers
    }

    private func followHops(_ request: FetchRequest, deadline: Duration, control: FetchControl) async -> FetchResult {
        let maxBytes = max(0, request.maxBytes ?? configuration.maxBytes)
        var url = request.url
        var redirects = 0
        var isPermanentSoFar = true
        var originScope: AddressScope?
        var result = FetchResult(feedID: request.feedID, requestedURL: request.url, outcome: .notModified)
        func fail(_ code: FetchError.Code, _ message: String, url: String? = nil) -> FetchResult {
            result.outcome = .failed(
                FetchError(
                    code: code, message: message, feedID: request.feedID,
                    url: url ?? result.finalURL.absoluteString, status: result.status))
            return result
        }
        while true {
            let exchange = CurlExchange(
                options: .init(
                    url: url.absoluteString, headers: requestHeaders(request), maxBytes: maxBytes,
                    idleTimeout: configuration.idleTimeout, allowedScope: redirects == 0 ? nil : originScope,
                    classify: addressScope, resolve: resolveOverrides))
            let outcome: CurlExchange.Outcome
            if let stop = control.begin(exchange) {
                outcome = CurlExchange.Outcome(stop: stop)
            } else {
                outcome = await exchange.run()
                control.end()
            }
            if redirects == 0 { originScope = outcome.connectedScope }
            result.finalURL = url
            result.status = outcome.head.status == 0 ? nil : outcome.head.status
            result.bytesReceived = outcome.body.count

            switch outcome.stop {
            case .deadline: return fail(.timedOut, "no complete answer within the deadline of \(deadline)")
            case .cancelled: return fail(.cancelled, "fetch cancelled")
            case nil: break
            }
            if outcome.isBodyTooLarge { return fail(.bodyTooLarge, "body larger than the cap of \(maxBytes) bytes") }
            if outcome.isHeadTooLarge {
                return fail(.network, "\(url.host ?? "the server") sent more than \(CurlExchange.maxHeaderBytes / 1024) KB of response header")
            }
            if let refused = outcome.refused, outcome.code == CurlCode.couldNotConnect {
                let origin = originScope.map { "\($0)" } ?? "unknown"
                result.permanentRedirect = nil  // the move led somewhere refused: nothing to remember
                return fail(
                    .redirectRefused,
                    "redirected to \(url.host ?? "?"), which resolves to the \(refused.scope) address \(refused.address); "
                        + "refused because the feed's own address is \(origin)")
            }
            if outcome.code != CurlCode.ok && !outcome.isRedirectCut {
                let failure = TransportFailure(outcome: outcome, url: url, idleTimeout: configuration.idleTimeout)
                result.outcome = .failed(
                    FetchError(
                        code: failure.fetchCode, message: failure.sentence, feedID: request.feedID,
                        url: url.absoluteString, status: result.status, cause: failure))
                return result
            }

            let head = outcome.head
            guard head.status != 0 else { return fail(.network, "no HTTP response") }
            if Self.redirectStatuses.contains(head.status), let location = head.value("Location") {
                redirects += 1
                result.bytesReceived = 0
                if redirects > configuration.maxRedirects {
                    return fail(.tooManyRedirects, "more than \(configuration.maxRedirects) redirects", url: location)
                }
                guard let target = URL(string: location, relativeTo: url)?.absoluteURL,
                    let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
                    target.host?.isEmpty == false
                else {
                    return fail(.redirectRefused, "redirect to a scheme other than http or https refused", url: location)
                }
                if let refusal = literalRefusal(target, originScope: originScope) {
                    return fail(.redirectRefused, refusal, url: target.absoluteString)
                }
                if isPermanentSoFar, head.status == 301 || head.status == 308 {
                    result.permanentRedirect = target
                } else {
                    isPermanentSoFar = false
                }
                url = target
                continue
            }
            return mapStatus(head, body: outcome.body, into: result, fail: fail)
        }
    }

    /// Why a redirect to an IP literal (in any numeric form) is refused, or nil.
    private func literalRefusal(_ target: URL, originScope: AddressScope?) -> String? {
        guard let host = target.host, let address = NetworkAddress(host: host), let originScope else { return nil }
        let scope = addressScope(address)
        guard scope.rank > originScope.rank else { return nil }
        return "redirect to the \(scope) address \(address) refused: the feed's own address is \(originScope)"
    }

    private func mapStatus(
        _ head: HTTPResponseHead, body: [UInt8], into result: FetchResult,
        fail: (FetchError.Code, String, String?) -> FetchResult
    ) -> FetchResult {
        var result = result
        let status = head.status
        switch status {
        case 200..<300:
            result.outcome = .content(
                body: body, charset: HTTPHeaderValues.charset(fromContentType: head.value("Content-Type")),
                etag: head.value("ETag"), lastModified: head.value("Last-Modified"))
        case 304:
            result.outcome = .notModified
            result.bytesReceived = 0
        case 404, 410:
            result.outcome = .gone(status: status)
        case 429, 503:
            let retryAfter = head.value("Retry-After").flatMap { HTTPHeaderValues.retryAfter($0, now: Date()) }
            if status == 503 && retryAfter == nil {
                return fail(.httpStatus, "HTTP 503 without Retry-After", nil)
            }
            result.outcome = .rateLimited(status: status, retryAfter: retryAfter)
        case 300..<400:
            return fail(.httpStatus, "HTTP \(status) redirect without a usable Location", nil)
        default:
            return fail(.httpStatus, "HTTP \(status)", nil)
        }
        return result
    }
}
