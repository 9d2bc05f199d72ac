import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The state of one URLSession data task, fed by ``SessionDelegate`` and awaited by the fetcher.
///
/// The first ending wins (completion, deadline, cancellation, byte cap, refused redirect); callbacks
/// after it are ignored, so a late `cancel()` can never add bytes past the cap.
final class FetchTransfer: Sendable {
    enum Ending: Sendable {
        case completed((any Error & Sendable)?)
        case deadline
        case cancelled
        case bodyTooLarge
        case refused(FetchError)
    }

    struct Snapshot {
        var response: HTTPURLResponse?
        var body: [UInt8]
        var currentURL: URL
        var permanentRedirect: URL?
    }

    private struct State {
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var currentURL: URL
        var redirects = 0
        var isPermanentSoFar = true
        var permanentRedirect: URL?
        var task: URLSessionDataTask?
        var continuation: CheckedContinuation<Ending, Never>?
        var ending: Ending?
        var isRedirectPending = false
        var isCancelDeferred = false
    }

    let feedID: String
    let maxBytes: Int
    let maxRedirects: Int
    private let state: Mutex<State>

    init(feedID: String, url: URL, maxBytes: Int, maxRedirects: Int) {
        self.feedID = feedID
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.state = Mutex(State(currentURL: url))
    }

    /// Starts `task` and waits for the first ending.
    func run(_ task: URLSessionDataTask) async -> Ending {
        await withCheckedContinuation { (continuation: CheckedContinuation<Ending, Never>) in
            let early: Ending? = state.withLock { state in
                if let ending = state.ending { return ending }
                state.continuation = continuation
                state.task = task
                return nil
            }
            if let early {
                continuation.resume(returning: early)
            } else {
                task.resume()
            }
        }
    }

    /// Ends the transfer (first call wins); anything but a completion cancels the data task.
    func finish(_ ending: Ending) {
        let (continuation, task): (CheckedContinuation<Ending, Never>?, URLSessionDataTask?) = state.withLock {
            state in
            guard state.ending == nil else { return (nil, nil) }
            state.ending = ending
            defer { state.continuation = nil }
            if case .completed = ending { return (state.continuation, nil) }
            if state.isRedirectPending {
                state.isCancelDeferred = true  // endRedirect() cancels once the handler was answered
                return (state.continuation, nil)
            }
            return (state.continuation, state.task)
        }
        task?.cancel()
        continuation?.resume(returning: ending)
    }

    /// What the transfer has gathered so far.
    var snapshot: Snapshot {
        state.withLock {
            Snapshot(
                response: $0.response, body: $0.body, currentURL: $0.currentURL,
                permanentRedirect: $0.permanentRedirect)
        }
    }

    func receive(_ response: URLResponse) {
        state.withLock { state in
            guard state.ending == nil else { return }
            state.response = response as? HTTPURLResponse
            state.body.removeAll(keepingCapacity: true)
        }
    }

    func receive(_ data: Data) {
        let exceeded: Bool = state.withLock { state in
            guard state.ending == nil else { return false }
            guard state.body.count + data.count <= maxBytes else { return true }  // never keep bytes past the cap
            state.body.append(contentsOf: data)
            return false
        }
        if exceeded { finish(.bodyTooLarge) }
    }

    /// What the delegate does with a redirect callback.
    enum RedirectDecision {
        /// Follow: pass this request to the completion handler, then call ``endRedirect()``.
        case follow(URLRequest)
        /// Refuse: pass nil to the completion handler, call ``endRedirect()``, then finish with the error.
        case refuse(FetchError)
        /// The transfer already ended and its task is cancelled: corelibs no longer waits for the
        /// completion handler (calling it now would trap), so don't call it.
        case ignore
    }

    /// Decides on a redirect. While the delegate holds the completion handler, ``finish(_:)`` defers
    /// its `cancel()`: FoundationNetworking traps if a task is cancelled between asking about a redirect
    /// and hearing the answer.
    func beginRedirect(_ response: HTTPURLResponse, to request: URLRequest) -> RedirectDecision {
        // Judge the Location header as sent too: FoundationNetworking may rewrite a `file:` target into
        // a path on the current host before asking us.
        let location = response.value(forHTTPHeaderField: "Location")
        let sentTarget = location.flatMap { URL(string: $0, relativeTo: response.url)?.absoluteURL }
        let target = request.url
        let scheme = target?.scheme?.lowercased()
        let sentScheme = sentTarget?.scheme?.lowercased() ?? scheme
        return state.withLock { state in
            guard state.ending == nil else { return .ignore }
            state.isRedirectPending = true
            state.redirects += 1
            if state.redirects > maxRedirects {
                return .refuse(
                    FetchError(
                        code: .tooManyRedirects, message: "more than \(maxRedirects) redirects", feedID: feedID,
                        url: target?.absoluteString))
            }
            guard let target, scheme == "http" || scheme == "https", sentScheme == "http" || sentScheme == "https"
            else {
                return .refuse(
                    FetchError(
                        code: .redirectRefused, message: "redirect to a scheme other than http or https refused",
                        feedID: feedID, url: location ?? target?.absoluteString))
            }
            if state.isPermanentSoFar, response.statusCode == 301 || response.statusCode == 308 {
                state.permanentRedirect = target
            } else {
                state.isPermanentSoFar = false
            }
            state.currentURL = target
            return .follow(request)
        }
    }

    /// The delegate answered the redirect: perform a cancel that ``finish(_:)`` deferred meanwhile.
    func endRedirect() {
        let task: URLSessionDataTask? = state.withLock { state in
            state.isRedirectPending = false
            defer { state.isCancelDeferred = false }
            return state.isCancelDeferred ? state.task : nil
        }
        task?.cancel()
    }

}

/// The one delegate of the fetcher's session: routes callbacks to the transfer of each task.
final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let transfers = Mutex<[Int: FetchTransfer]>([:])

    func register(_ transfer: FetchTransfer, for task: URLSessionTask) {
        transfers.withLock { $0[task.taskIdentifier] = transfer }
    }

    func unregister(_ task: URLSessionTask) {
        _ = transfers.withLock { $0.removeValue(forKey: task.taskIdentifier) }
    }

    private func transfer(for task: URLSessionTask) -> FetchTransfer? {
        transfers.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        transfer(for: dataTask)?.receive(response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        transfer(for: dataTask)?.receive(data)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // No transfer: it ended and cancelled its task, so corelibs no longer waits for an answer.
        guard let transfer = transfer(for: task) else { return }
        switch transfer.beginRedirect(response, to: request) {
        case .ignore:
            return
        case .follow(let next):
            completionHandler(next)
            transfer.endRedirect()
        case .refuse(let error):
            completionHandler(nil)
            transfer.endRedirect()
            transfer.finish(.refused(error))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        transfer(for: task)?.finish(.completed(error.map { $0 as NSError }))  // NSError: Sendable
    }
}
